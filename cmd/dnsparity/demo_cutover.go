package main

import (
	"context"
	"net"
	"time"
)

// notYet records a step whose command this build does not have.
func (d *demo) notYet(name, what string) bool {
	began := time.Now()
	return d.record(demoStep{Name: name, Detail: what + " is not available in this build yet (issue 8, the cutover): the story cannot go on"}, began)
}

// hasCommand reports whether this build has a subcommand.
func hasCommand(name string) bool {
	for _, c := range commands() {
		if c.name == name {
			return true
		}
	}
	return false
}

func (d *demo) stepFlipRefused(ctx context.Context) bool {
	d.header("Flip the delegation — refused: the TTLs are not pre-staged")
	if !hasCommand("flip") {
		return d.notYet("flip-refused", "dnsparity flip")
	}
	return d.notYet("flip-refused", "the demo's flip step")
}

func (d *demo) stepTTLCap(ctx context.Context) bool { return d.notYet("ttl-cap", "the pre-stage step") }
func (d *demo) stepWait(ctx context.Context) bool   { return d.notYet("wait", "the wait") }
func (d *demo) stepFlip(ctx context.Context) bool   { return d.notYet("flip", "dnsparity flip") }
func (d *demo) stepStatus(ctx context.Context) bool { return d.notYet("status", "dnsparity status") }
func (d *demo) stepRollback(ctx context.Context) bool {
	return d.notYet("rollback", "dnsparity rollback")
}
func (d *demo) stepEmergency(ctx context.Context) bool {
	return d.notYet("emergency", "dnsparity flip --emergency")
}

// byHand prints how to use the lab by hand (--keep).
func (d *demo) byHand() {
	l := d.lab
	d.say("\nBy hand (the lab stays up):")
	d.say("  cd %s", d.dir)
	d.say("  export %s=$(cat tsig.secret)", demoSecretEnv)
	d.say("  dig @%s -p %d example.test. NS +norec        # the delegation at the parent", host(l.Parent.Addrs[0]), l.Port)
	d.say("  dig @%s -p %d www.example.test. A +norec      # the old provider", host(l.Old.Addrs[0]), l.Port)
	d.say("  dig @%s -p %d www.example.test. A +norec      # the new provider", host(l.New.Addrs[0]), l.Port)
	d.say("  dig @%s -p %d www.example.test. A             # a caching resolver", host(l.Resolvers[0].Addr()), l.Port)
	d.say("  dnsparity check zones/")
	d.say("  dnsparity plan --config dnsparity.yaml --provider old,new")
	d.say("  dnsparity push --config dnsparity.yaml --provider old,new")
	d.say("  dnsparity parity --config dnsparity.yaml")
	d.say("  dnsparity ttl --cap %d zones/", demoPrestage)
	for _, c := range []string{"status", "flip --dry-run", "flip", "rollback", "finish"} {
		d.say("  dnsparity %s --zone %s --config dnsparity.yaml", c, demoZone)
	}
}

// host is the IP of an IP:PORT.
func host(addr string) string {
	h, _, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	return h
}
