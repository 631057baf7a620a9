#!/usr/bin/env bash
# Commit dnsparity's audit trail (TRAIL_DIR/*.json) back to BRANCH.
#
# The trail must reach the branch the next cutover step checks out, or
# that step would start from an older record. So a branch that moved while
# the run worked (another merge, a sync that recorded a push) is fetched
# and the commit rebased onto it, at most TRIES times; when both appended
# to the same trail file, the entries are merged (the branch's first, then
# this run's own). A branch that refuses the push for another reason (a
# protected branch, no permission) gets the commit on a side branch
# (dnsparity-trail/BRANCH-RUN, one a run: its other steps join it) to
# merge by a pull request, and the step fails, saying so.
#
# Environment: BRANCH (required), MESSAGE (the commit message), TRAIL_DIR
# (default .dnsparity/cutover), TRIES (default 5), GH_TOKEN (used for the
# push only, never written to .git/config), GITHUB_RUN_ID.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd) || exit 1

dir=${TRAIL_DIR:-.dnsparity/cutover}
branch=${BRANCH:?BRANCH is required}
msg=${MESSAGE:-"dnsparity: audit trail (run ${GITHUB_RUN_ID:-local})"}
tries=${TRIES:-5}
# origin_git: git with GH_TOKEN for origin's requests (git-auth.sh).
# shellcheck source=../git-auth.sh
. "$here/../git-auth.sh" || exit 1

git config user.name "github-actions[bot]"
git config user.email "41898282+github-actions[bot]@users.noreply.github.com"
shopt -s nullglob
# Only the trail's own files: regular files in a directory of the
# repository. A symlink (a trail file, or the directory, pointing
# elsewhere) is not the trail: it is left out, said so.
if [ ! -d "$dir" ]; then
	echo "no audit trail in $dir"
	exit 0
fi
root=$(git rev-parse --show-toplevel) || exit 1
real=$(cd "$dir" && pwd -P) || exit 1
case "$real/" in
"$root"/*) ;;
*) real="" ;;
esac
if [ -L "${dir%/}" ] || [ -z "$real" ]; then
	echo "::error::$dir is a symlink or outside the repository: no audit trail committed"
	exit 1
fi
files=()
for f in "$dir"/*.json; do
	if [ -L "$f" ] || [ ! -f "$f" ]; then
		echo "::warning::$f is not a regular file (a symlink?): left out of the audit-trail commit"
		continue
	fi
	files+=("$f")
done
if [ ${#files[@]} -eq 0 ]; then
	echo "no audit trail in $dir"
	exit 0
fi
git add -f -- "${files[@]}"
if git diff --cached --quiet -- "${files[@]}"; then
	echo "no audit-trail change"
	exit 0
fi
# The trail's files only (--only: whatever else an earlier step staged
# stays out of the commit that this token pushes).
git commit -q --only -m "$msg" -- "${files[@]}" || exit 1

# merge_trails resolves a rebase whose only conflicts are trail files:
# the branch's entries, then this run's that the branch lacks, in time
# order (a stable sort by the entries' times, all UTC as dnsparity writes
# them): dnsparity refuses a trail whose entries go back in time, and a
# step of this run may be dated before an entry the branch got meanwhile.
merge_trails() {
	local f
	local conflicted
	conflicted=$(git diff --name-only --diff-filter=U)
	[ -n "$conflicted" ] || return 1
	for f in $conflicted; do
		case $f in
		"$dir"/*.json) ;;
		*) return 1 ;;
		esac
		# In a rebase, stage 2 is the branch rebased onto, stage 3 this run's commit.
		git show ":2:$f" >"$f.branch" && git show ":3:$f" >"$f.run" || return 1
		jq -s '{zone: (.[0].zone // .[1].zone), entries: ((.[0].entries + (.[1].entries - .[0].entries)) | sort_by(.time))}' \
			"$f.branch" "$f.run" >"$f" || return 1
		rm -f "$f.branch" "$f.run"
		git add -- "$f" || return 1
	done
	GIT_EDITOR=true git rebase --continue >/dev/null
}

# push_to REF pushes the commit to branch REF of origin; a REF that moved
# meanwhile (rejected as not a fast-forward) is fetched and the commit
# rebased onto it, trails merged, at most TRIES times. It fails at once
# on any other refusal (protected, no permission, unreachable: not a
# race) and when the trails cannot be merged.
push_to() {
	local ref=$1 i out
	for ((i = 1; i <= tries; i++)); do
		if out=$(origin_git push origin "HEAD:refs/heads/$ref" 2>&1); then
			return 0
		fi
		printf '%s\n' "$out"
		case $out in
		*"[rejected]"*) ;; # the branch moved: fetch, rebase, retry
		*) return 1 ;;
		esac
		sleep "$i"
		# FETCH_HEAD: a single-branch checkout tracks no other branch.
		origin_git fetch -q origin "refs/heads/$ref" || return 1
		if ! git rebase -q FETCH_HEAD >/dev/null 2>&1 && ! merge_trails; then
			git rebase --abort >/dev/null 2>&1
			echo "the trail cannot be merged with $ref automatically"
			return 1
		fi
	done
	return 1
}

if push_to "$branch"; then
	echo "audit trail committed to $branch"
	exit 0
fi

# The side branch is the run's: another step of the same run (a shard of
# sync-many.yml, a re-run's attempt) may have pushed it first, and its
# entries join them there (push_to), the one branch to merge.
side="dnsparity-trail/$branch-${GITHUB_RUN_ID:-local}"
if push_to "$side" >/dev/null; then
	echo "::error::the audit trail could not be pushed to $branch; it is on branch $side: merge it into $branch (open a pull request from it) before the next cutover step. It is also in this run's artifact."
else
	echo "::error::the audit trail could not be pushed to $branch nor to a side branch: commit it from this run's artifact into $branch before the next cutover step."
fi
exit 1
