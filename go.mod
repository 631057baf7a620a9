module github.com/dnsparity/dnsparity

go 1.26.8

require (
	github.com/google/go-github/v60 v60.0.0
	github.com/miekg/dns v1.1.73
	github.com/pmezard/go-difflib v1.0.0
	github.com/sethvargo/go-githubactions v1.4.0
	go.yaml.in/yaml/v3 v3.0.4
	golang.org/x/net v0.57.0
	golang.org/x/time v0.7.0
)

require (
	github.com/google/go-querystring v1.1.0 // indirect
	golang.org/x/sys v0.47.0 // indirect
)
