# The step entries of the side branch's copy of $zone's trail file that
# the checkout's copy lacks, each given as its jq --stream events ($sa,
# $sb: as far as the text is JSON) and whether all of it is ($aok, $bok), as one line: "N
# entries, the last DESCRIPTION"; nothing when there are none. $rule
# "cutover" (before a cutover step) counts every entry but push and sync:
# cutover.UnmergedSteps; "sync" (before a sync, which reads the trail only
# through its stage) only the entries that set the stage (a flip,
# rollback or finish whose result is done, not a dry run):
# cutover.UnmergedStageSteps (internal/cutover/trailcheck.go), which reads
# the files as dnsparity does (Go's encoding/json): this program reads
# them the same way, and TestCheckTrailAgreesWithUnmergedSteps
# (internal/action) fails on any trail the two judge differently.
#
# A file is a trail when it is one JSON object whose "entries" is a list
# (or null: none) and whose "zone", if any, is a string; a key matches its
# field whatever its case (encoding/json). An entry of the side branch's
# is an object (or null) whose time and changed_at are RFC 3339 times,
# whose command and result are strings and dry_run a boolean (each may be
# absent or null). What dnsparity never writes, and encoding/json and jq
# would read differently, is no trail either (cutover.checkTrailText): a
# key written twice in the trail's object or an entry ($sa, $sb: the events jq
# --stream gives them, since a parsed object keeps one of them), two keys
# of the trail's object or of an entry that name one field ("entries" and
# "Entries"), an entry's time or changed_at (in either file) that is a
# string but not RFC 3339 with a year from 0001 and an offset under 24
# hours. Anything else is an error: what it holds cannot be judged, so
# the step is refused.

include "claims";

# field(K): the value of key K as encoding/json finds it (any case).
def field($k): [to_entries[] | select(.key | named and fold == $k)] | last | .value;
# twins(WHAT): refuse two keys of this object that name one field.
def twins($what): [keys_unsorted[] | select(named) | fold] | if length != (unique | length) then error("\($what) has two keys that name one field") else . end;
# once(WHAT): refuse a key written twice in the trail's object or in an
# entry (cutover.checkTrailText; a nested value is compared whole, where
# both readers take a repeated key's last value): in the stream of events
# (this), after a container or leaf at such a key's path is done, no
# event comes at or under that path again.
def once($what):
	(reduce .[] as $ev ({done: {}, dup: false};
		if .dup then .
		elif ($ev | length) == 2 then
			.done as $done | ($ev[0]) as $p
			| if [$p[:1], (select(($p | length) >= 3 and ($p[0] | type) == "string" and ($p[0] | named and fold == "entries") and ($p[1] | type) == "number") | $p[:3])
				| $done[tojson]] | any
			then .dup = true else .done[$p | tojson] = true end
		else .done[$ev[0][:-1] | tojson] = true end) | .dup)
	| if . then error("\($what) writes a key twice in one object") else . end;
# rfc3339: a time as dnsparity writes it (cutover.checkTime): the form,
# a date and time that exist (not 30 February, second 60 or hour 24), a
# year from 0001, an offset under 24 hours; by arithmetic, as jq's
# calendar differs between versions (1.6 refuses 1969-12-31T23:59:59Z).
def rfc3339:
	type == "string"
	and ((capture("^(?<y>[0-9]{4})-(?<mo>[0-9]{2})-(?<d>[0-9]{2})T(?<h>[0-9]{2}):(?<mi>[0-9]{2}):(?<s>[0-9]{2})(\\.[0-9]+)?(Z|[+-](?<oh>[0-9]{2}):(?<om>[0-9]{2}))$") // null)
		| . != null and (map_values(if . == null then null else tonumber end)
		| (.y % 4 == 0 and (.y % 100 != 0 or .y % 400 == 0)) as $leap
		| .y >= 1 and .mo >= 1 and .mo <= 12 and .d >= 1
		and .d <= [31, (if $leap then 29 else 28 end), 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][.mo - 1]
		and .h <= 23 and .mi <= 59 and .s <= 59 and (.oh == null or (.oh <= 23 and .om <= 59))));
# trail(WHAT; OK): the file whose stream of events is this as {zone,
# entries}, or an error naming WHAT.
def trail($what; $ok):
	if $ok | not then error("\($what) is not JSON") else . end
	| once($what) as $_
	| [fromstream(.[])]
	| if length != 1 or (.[0] | type) != "object" then error("\($what) is not one JSON object")
	else .[0] end
	| twins($what) as $_
	| if (field("entries") | type) as $t | ($t != "array" and $t != "null") or (keys_unsorted | map(select(named) | fold) | index(["entries"]) | not)
	then error("\($what) has no list of entries")
	elif (field("zone") | type) as $t | $t != "string" and $t != "null" then error("\($what)'s zone is not a name")
	else {zone: (field("zone") // ""), entries: (field("entries") // [])} end
	| if [.entries[] | select(type == "object")
		| (twins("\($what)'s entry") | true)
			and all(to_entries[] | select(.key | named and (fold == "time" or fold == "changed_at")); .value | type != "string" or rfc3339)]
		| all
	then . else error("\($what) has an entry whose time is not an RFC 3339 time as dnsparity writes it") end;
def entry($i):
	if . == null then {} | entry($i)
	elif type != "object" then error("the side branch's entry \($i + 1) is not an object")
	elif (field("time") | . == null or rfc3339) and (field("changed_at") | . == null or rfc3339)
		and (field("command") | type | . == "string" or . == "null") and (field("dry_run") | type | . == "boolean" or . == "null")
		and (field("result") | type | . == "string" or . == "null")
	then {time: field("time"), command: (field("command") // ""), dry_run: (field("dry_run") // false), result: (field("result") // "")}
	else error("the side branch's entry \($i + 1) is not an audit-trail entry") end;
# counts: whether $rule counts the entry (entryHead.locked for "cutover",
# entryHead.setsStage for "sync").
def counts:
	if $rule == "sync" then .dry_run == false and .result == "done" and (.command | . == "flip" or . == "rollback" or . == "finish")
	else .command != "push" and .command != "sync" end;
# "flip at T", "dry-run flip at T", "entry with no time" (entryHead.describe).
def describe:
	(if .dry_run then "dry-run " else "" end) + (if .command == "" then "entry" else .command end)
	+ (if .time == null then " with no time" else " at \(.time)" end);

# $claimed (every zone's trail looked for, none named: a sync): a file is
# judged as $zone's trail when it, or the checkout's file at its path,
# says it is $zone's (claims), even when it is not one trail (cut short,
# a second value after it: refused); one that says nothing of it (a
# package.json) is no zone's trail; the caller found it by a name any
# file may have.
if $claimed and ((($sa[0] | claims($zone)) or ($sb[0] | claims($zone))) | not) then empty else
($sa[0] | trail("the side branch's copy"; $aok)) as $a
| if $a.zone != $zone then empty else
	($sb[0] | trail("the checkout's copy"; $bok)) as $b
	| [$a.entries | to_entries[] | .value as $raw | (.value | entry(.key)) as $e
		| select($e | counts)
		| select($b.entries | index([$raw]) | not) | $e]
	| select(length > 0)
	| "\(length) entr\(if length == 1 then "y" else "ies" end), the last \(.[-1] | describe)"
end
end
