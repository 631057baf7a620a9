package main

// Providers register themselves with internal/provider from init().
import (
	_ "github.com/dnsparity/dnsparity/internal/provider/cloudflare"
	_ "github.com/dnsparity/dnsparity/internal/provider/cloudns"
	_ "github.com/dnsparity/dnsparity/internal/provider/dnsmadeeasy"
	_ "github.com/dnsparity/dnsparity/internal/provider/ns1"
	_ "github.com/dnsparity/dnsparity/internal/provider/powerdns"
	_ "github.com/dnsparity/dnsparity/internal/provider/rfc2136"
	_ "github.com/dnsparity/dnsparity/internal/provider/route53"
)
