// Package zones holds the example zones a new user reads and runs.
// example.test.zone is the demo's: it is built into the binary, so that
// "dnsparity demo" runs from any directory and from the image.
package zones

import _ "embed"

// ExampleTest is example.test.zone, the zone the demo migrates.
//
//go:embed example.test.zone
var ExampleTest []byte
