# Whose trail a file says it is (check-trail.sh reads it when it looks
# for every zone's trail, and for a zone's trail the checkout moved), and
# the key folding both that and unmerged-steps.jq (which includes this
# file) match fields by.

# fold: a key as encoding/json matches it to a field (all ASCII names):
# ASCII letters in lower case, U+017F and U+212A (which fold to s and k);
# any other rune outside ASCII matches no field (cutover.foldKey).
def fold: ascii_downcase | gsub("\u017f"; "s") | gsub("\u212a"; "k");
def named: fold | explode | all(. < 128);
# claims(ZONE): whether the text whose events are this says it is ZONE's
# trail, as far as it is JSON (cutover.ClaimedZone): the first key of
# its first object that names the zone field holds ZONE.
def claims($zone):
	# The first value's events: up to its end (a top-level container's
	# closing event, or a top-level scalar).
	. as $evs
	| (first(range(0; $evs | length) | select(($evs[.] | length) == 1 and ($evs[.][0] | length) == 1 or ($evs[.] | length) == 2 and ($evs[.][0] | length) == 0)) // ($evs | length)) as $stop
	| ($evs[:$stop + 1] | map(select((.[0] | length) >= 1 and (.[0][0] | type) == "string" and (.[0][0] | named and fold == "zone"))) | first) as $ev
	| $ev != null and ($ev | length) == 2 and ($ev[0] | length) == 1 and $ev[1] == $zone;
