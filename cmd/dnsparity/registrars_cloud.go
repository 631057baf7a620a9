package main

// Registrars with an API register themselves with internal/registrar.
import (
	_ "github.com/dnsparity/dnsparity/internal/registrar/route53domains"
)
