package cutover

import "github.com/dnsparity/dnsparity/internal/shell"

// zoneCmd is the command line of the cutover step cmd (status, flip,
// rollback, finish) for zone, flags after it, as a hint writes it to be
// pasted: "`dnsparity status --zone example.com.`". Each of those
// commands requires --zone: a hint naming the step alone ("run `dnsparity
// status`") failed when pasted, as "--zone NAME is required".
func zoneCmd(zone, cmd string, flags ...string) string {
	return "`" + shell.Line(append([]string{"dnsparity", cmd, "--zone", zone}, flags...)...) + "`"
}

// providerCmd is "`dnsparity CMD --provider SIDE --zone ZONE`", quoted,
// as the other hints name one provider's push or plan of one zone (a
// push without --zone pushes every zone of the config).
func providerCmd(cmd, side, zone string) string {
	return "`" + shell.Line("dnsparity", cmd, "--provider", side, "--zone", zone) + "`"
}
