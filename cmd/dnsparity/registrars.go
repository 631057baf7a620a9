package main

// Registrars register themselves with internal/registrar from init().
import (
	_ "github.com/dnsparity/dnsparity/internal/registrar/manual"
	_ "github.com/dnsparity/dnsparity/internal/registrar/parent"
)
