package zone

// IsHostname is isHostname for the external tests (zone_test), which
// share tables with other packages through zonetest, which imports zone.
var IsHostname = isHostname
