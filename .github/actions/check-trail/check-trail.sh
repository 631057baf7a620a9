#!/usr/bin/env bash
# Refuse a cutover step whose checkout lacks audit-trail entries that an
# earlier run left on a side branch.
#
# On a protected BRANCH, commit-trail.sh pushes a run's trail to the side
# branch dnsparity-trail/BRANCH-RUN and the run fails, asking for a pull
# request. Until that is merged, BRANCH's trail still ends at an older
# step: a cutover step checked out from it would count the overlap and the
# settling from an older flip (finish passing minutes after a real flip,
# and the old provider then decommissioned early) and a rollback would
# restore the delegation an older flip recorded. So, before any step,
# every such side branch on origin is read, and each of ZONES' trail
# files it holds (a file NAME.json, NAME the zone without its final dot,
# whose "zone" is that zone: found wherever cutover.state_dir puts it) is
# compared with the checkout's: a step entry the checkout lacks fails the
# step, naming the branch to merge. A step entry is one a cutover step
# wrote holding the zone's lock: every command but push and sync, which
# record beside a step and drive none of its gates. The rule is
# cutover.UnmergedSteps (internal/cutover/trailcheck.go); this script runs
# where the binary is not (the runner, before the Action's container), so
# unmerged-steps.jq applies it, and TestCheckTrailAgreesWithUnmergedSteps
# fails on any trail the two judge differently. A trail file that is not
# one (not one JSON object with a list of entries, an entry that is not
# one) fails the step too. A side branch already merged holds nothing new
# and passes.
#
# An emergency step (EMERGENCY=true: flip --emergency, rollback
# --emergency) is the way out of an outage, which nothing in the trail
# blocks: every finding is a warning and it goes on.
#
# Before a sync (FOR=sync) the rule is another: a sync reads the trail
# only through its stage (Trail.Stage: the push order after an emergency
# step, push.Steps), so only an entry that sets the stage (a flip,
# rollback or finish done, not a dry run: cutover.UnmergedStageSteps)
# the checkout lacks fails it; a status, a dry run or a refused flip
# waiting on a side branch does not stop every sync.
#
# Environment: FOR ("cutover", the default, or "sync"), BRANCH (required), ZONES (canonical names,
# comma-separated, as cutover.yml's zone job folds them; empty, as a sync
# of every zone passes it: every file that says it is the trail of the
# zone its name gives, or whose path holds that zone's trail in the
# checkout, as far as its text is JSON: one cut short, or with a second
# value after it, is then refused as in a named zone's), EMERGENCY
# ("true" for an emergency step), GH_TOKEN (used for git's requests to
# origin only, never written to .git/config).
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd) || exit 1

branch=${BRANCH:?BRANCH is required}
zones=${ZONES:-}
emergency=${EMERGENCY:-false}
rule=${FOR:-cutover}
# What the rule guards, as the messages name it.
case $rule in
cutover) step="cutover step" again="run the step again" counted="step entries" ;;
sync) step="sync" again="the next sync goes on" counted="entries that set the cutover's stage (a flip, rollback or finish done)" ;;
*)
	echo "::error::check-trail: for is \"$rule\": want cutover (before a cutover step) or sync (before a sync)"
	exit 1
	;;
esac
stale=0 found=0
# escape TEXT: TEXT as a workflow command's message, which ends at a line
# break: % CR LF percent-encoded as GitHub's toolkit encodes them
# (escapeData, actions/toolkit packages/core/src/command.ts; "Workflow
# commands for GitHub Actions", docs.github.com), every other control
# character dropped. The side branch's trail is anyone's writing: an entry
# whose command holds "\n::stop-commands::x" would otherwise start a
# command line of its own.
escape() {
	local s=$1
	s=${s//'%'/%25}
	s=${s//$'\r'/%0D}
	s=${s//$'\n'/%0A}
	printf '%s' "$s" | tr -d '\000-\037\177'
}
# finding MESSAGE: a workflow error that fails the step at the end, or
# for an emergency step a warning that does not.
finding() {
	found=1
	if [ "$emergency" = "true" ]; then
		echo "::warning::$(escape "$1") (an emergency step goes on: nothing in the audit trail blocks the way out of an outage)"
	else
		echo "::error::$(escape "$1")"
		stale=1
	fi
}
# origin_git: git with GH_TOKEN for origin's requests (git-auth.sh).
# shellcheck source=../git-auth.sh
. "$here/../git-auth.sh" || exit 1

# trail_name ZONE: the name of ZONE's trail file without .json
# (cutover.TrailPath: the zone without its final dot, a "/" written \047,
# "root" for the root).
trail_name() {
	local base=${1%.}
	base=${base//\//\\047}
	printf '%s' "${base:-root}"
}
# The trail files' names of the step's zones; none named (a sync: every
# zone of the config), every file NAME.json that says it is the trail of
# the zone its name gives (NAME., a \047 in it a "/", root.json the
# root's): anything else named *.json (a report, a tool's file) is no
# zone's trail.
declare -A want=()
every=false
if [ -z "$zones" ]; then
	every=true
fi
IFS=',' read -r -a names <<<"$zones"
for zone in "${names[@]}"; do
	[ -n "$zone" ] || continue
	want[$(trail_name "$zone")]=$zone
done
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

prefix="refs/heads/dnsparity-trail/$branch-"
if ! refs=$(origin_git ls-remote --heads origin 2>&1); then
	printf '%s\n' "$refs"
	finding "cannot list origin's branches to look for unmerged audit-trail branches (dnsparity-trail/$branch-RUN): no $step runs from a trail that may be older than the last one recorded"
	exit "$stale"
fi
while read -r _ ref; do
	case $ref in
	"$prefix"*) ;;
	*) continue ;;
	esac
	# The run id commit-trail.sh appends (a number; "local" off GitHub):
	# not another branch's side branch (BRANCH-x's are BRANCH-x-RUN).
	run=${ref#"$prefix"}
	case $run in
	local) ;;
	"" | *[!0-9]*) continue ;;
	esac
	side=${ref#refs/heads/}
	if ! origin_git fetch -q --depth=1 origin "$ref" 2>/dev/null; then
		finding "cannot fetch $side, an audit-trail branch of $branch: merge it into $branch (or delete it once merged), then $again"
		continue
	fi
	tip=$(git rev-parse FETCH_HEAD) || exit 1
	# Every path of the side branch whose file the checkout does not hold
	# as it is there (changed, of another type, or absent), NUL-separated
	# (a name may hold a line break). A file the same in both holds no
	# entry the checkout lacks (and one that is no trail there is the
	# checkout's own, which the step itself refuses to read): what is read
	# below is what the side branch changed, not every zone's trail (a
	# sync would read them all). A tree that cannot be compared fails the
	# step (it may hold the zone's trail).
	if ! git diff --no-renames --name-only -z --diff-filter=MDT "$tip" -- >"$tmp/paths"; then
		finding "cannot list the files of $side, an audit-trail branch of $branch: merge it into $branch (or delete it once merged), then $again"
		continue
	fi
	while IFS= read -r -d '' path; do
		base=${path##*/}
		case $base in .json) continue ;; *.json) ;; *) continue ;; esac
		name=${base%.json}
		if [ "$every" = true ]; then
			zone=${name//\\047//}.
			[ "$name" != root ] || zone=.
		else
			zone=${want[$name]:-}
			[ -n "$zone" ] || continue
		fi
		if ! git show "$tip:$path" >"$tmp/theirs" 2>"$tmp/err"; then
			finding "cannot read $path on $side, an audit-trail branch of $branch ($(head -c 300 "$tmp/err")): merge or delete that branch, then $again"
			continue
		fi
		ours=$path moved=
		if [ ! -e "$ours" ]; then
			# Nothing at the side branch's path in the checkout: the
			# zone's trail may have moved since (cutover.state_dir
			# changed). Its trail is then the checkout's file of the
			# same name that says it is the zone's (claims.jq); none:
			# the checkout has no trail of the zone (a first step left
			# on the side branch, or a zone that left the config).
			holders=()
			while IFS= read -r -d '' p; do
				[ "${p##*/}" = "$base" ] && [ -f "$p" ] || continue
				if { jq -c --stream . "$p" 2>/dev/null || true; } | jq -es -L "$here" --arg zone "$zone" 'include "claims"; claims($zone)' >/dev/null 2>&1; then
					holders+=("$p")
				fi
			done < <(git ls-files -z)
			if [ "${#holders[@]}" -gt 1 ]; then
				finding "$zone's trail file $path on $side is not in the checkout, and several of its files say they are $zone's trail (${holders[*]}): keep one (cutover.state_dir's), then $again"
				continue
			fi
			if [ "${#holders[@]}" -eq 1 ]; then
				ours=${holders[0]} moved=$ours
				echo "$side holds $zone's trail at $path; the checkout holds it at $ours (cutover.state_dir moved): compared with that"
			else
				ours=$tmp/none
				echo '{"entries":[]}' >"$ours"
			fi
		fi
		# Each file's events as jq --stream gives them, as far as the
		# text is JSON (its own value: its key written twice is seen
		# there only; whose trail it says it is, even when cut short or
		# followed by more), and whether all of it is.
		for f in theirs ours; do
			src=$tmp/theirs
			[ "$f" = theirs ] || src=$ours
			ok=true
			jq -c --stream . "$src" >"$tmp/$f.events" 2>/dev/null || ok=false
			jq -cs . "$tmp/$f.events" >"$tmp/$f.stream" || exit 1
			printf -v "${f}_ok" '%s' "$ok"
		done
		# The side branch's step entries for this zone that the
		# checkout's trail lacks (unmerged-steps.jq: the rule of
		# cutover.UnmergedSteps).
		if ! missing=$(jq -rn --arg zone "$zone" --slurpfile sa "$tmp/theirs.stream" --slurpfile sb "$tmp/ours.stream" --argjson aok "$theirs_ok" --argjson bok "$ours_ok" --argjson claimed "$every" --arg rule "$rule" -L "$here" -f "$here/unmerged-steps.jq" 2>&1); then
			finding "$side: $path (or the checkout's) is not an audit trail dnsparity can read ($missing): merge or delete that branch, then $again"
			continue
		fi
		if [ -n "$missing" ]; then
			lacks="$branch's $path lacks"
			if [ -n "$moved" ]; then
				lacks="$branch's $moved (where its trail is now) lacks"
			elif [ "$ours" = "$tmp/none" ]; then
				lacks="$branch lacks (it holds no trail of $zone: if $zone has left the config, those entries are no step to wait for, and $side may be deleted)"
			fi
			if [ "$rule" = sync ]; then
				finding "the audit trail of $zone on branch $side holds $missing, which $lacks: merge $side into $branch (a pull request from it) before the next sync. $branch's trail stands at an older stage of the cutover, and a sync pushes in the order the stage sets (after an emergency step, the side the delegation points to first)."
			else
				finding "the audit trail of $zone on branch $side holds $missing, which $lacks: merge $side into $branch (a pull request from it) before any cutover step. Run from the older trail, finish and status would count the overlap from an older flip (the old provider decommissioned early) and a rollback would restore an older delegation."
			fi
		fi
	done <"$tmp/paths"
done <<<"$refs"
if [ "$stale" -ne 0 ]; then
	exit 1
fi
if [ "$found" -ne 0 ]; then
	echo "an emergency step goes on despite the warnings above: merge the audit-trail branches they name once the outage is over"
	exit 0
fi
if [ "$every" = true ]; then
	echo "no unmerged audit-trail branch of $branch holds $counted for any zone that $branch's trail lacks"
else
	echo "no unmerged audit-trail branch of $branch holds $counted for $zones that $branch's trail lacks"
fi
