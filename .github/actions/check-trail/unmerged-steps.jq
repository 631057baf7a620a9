# The step entries of $a (the side branch's copy of $zone's trail file,
# slurped) that $b (the checkout's copy, slurped) lacks, as one line: "N
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
# field whatever its case, the last such key winning (encoding/json). An
# entry of the side branch's is an object (or null) whose time and
# changed_at are RFC 3339 times, whose command and result are strings and
# dry_run a boolean (each may be absent or null). Anything else is an error: what it
# holds cannot be judged, so the step is refused.

# field(K): the value of key K as encoding/json finds it (any case).
def field($k): [to_entries[] | select(.key | ascii_downcase == $k)] | last | .value;
# rfc3339: a time Go's time.Time reads (RFC 3339): the form, and a date
# and time that exist (30 February, second 60 and hour 24 do not: they do
# not come back the same through jq's calendar).
def rfc3339:
	type == "string" and test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$")
	and (.[0:19] + "Z" | . as $s | (try (fromdateiso8601 | todateiso8601) catch null) == $s);
def trail($what):
	if length != 1 or (.[0] | type) != "object" then error("\($what) is not one JSON object")
	else .[0] end
	| if (field("entries") | type) as $t | ($t != "array" and $t != "null") or (to_entries | map(.key | ascii_downcase) | index(["entries"]) | not)
	then error("\($what) has no list of entries")
	elif (field("zone") | type) as $t | $t != "string" and $t != "null" then error("\($what)'s zone is not a name")
	else {zone: (field("zone") // ""), entries: (field("entries") // [])} end;
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

# $claimed (every zone's trail looked for, none named): only a file that
# says it is $zone's trail (one object whose zone is $zone) is judged; the
# caller found it by a name any file may have.
if $claimed and (($a | length) != 1 or ($a[0] | type) != "object" or ($a[0] | field("zone")) != $zone) then empty else
($a | trail("the side branch's copy")) as $a
| if $a.zone != $zone then empty else
	($b | trail("the checkout's copy")) as $b
	| [$a.entries | to_entries[] | .value as $raw | (.value | entry(.key)) as $e
		| select($e | counts)
		| select($b.entries | index([$raw]) | not) | $e]
	| select(length > 0)
	| "\(length) entr\(if length == 1 then "y" else "ies" end), the last \(.[-1] | describe)"
end
end
