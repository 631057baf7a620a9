package awsconf

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
)

// TestParseINI: the shared files' syntax as the SDK's reader takes it.
func TestParseINI(t *testing.T) {
	text := "top = ignored\r\n" +
		"# comment\n" +
		"; comment\n" +
		"[ profile   dev ]  # comment\n" +
		"Region = eu-west-1\n" +
		"output: json\n" +
		"quoted = \"a b\"\n" +
		"hash = a#b ; trailing\n" +
		"services = local\n" +
		"\n" +
		"[services local]\n" +
		"route_53 =\n" +
		"  endpoint_url = http://127.0.0.1:1\n" +
		"  ; an indented comment\n" +
		"route_53_domains =\n" +
		"\tEndpoint_URL = http://127.0.0.1:2\n" +
		"[profile dev]\n" +
		"  indented = promoted\n" +
		"policy = first\n" +
		"  second line\n" +
		"junk line without separator\n"
	got := parseINI("cfg", []byte(text))
	val := func(section, key string) iniValue { return got[section][key] }
	for _, tt := range []struct {
		section, key, want, pos string
	}{
		{"profile dev", "region", "eu-west-1", "cfg:5"},
		{"profile dev", "output", "json", "cfg:6"},
		{"profile dev", "quoted", "a b", "cfg:7"},
		{"profile dev", "hash", "a#b", "cfg:8"},
		{"profile dev", "services", "local", "cfg:9"},
		{"profile dev", "indented", "promoted", "cfg:18"},
		{"profile dev", "policy", "first\nsecond line", "cfg:19"},
	} {
		if v := val(tt.section, tt.key); v.value != tt.want || v.pos != tt.pos {
			t.Errorf("[%s] %s = %q at %s, want %q at %s", tt.section, tt.key, v.value, v.pos, tt.want, tt.pos)
		}
	}
	if want := map[string]string{"endpoint_url": "http://127.0.0.1:1"}; !reflect.DeepEqual(val("services local", "route_53").sub, want) {
		t.Errorf("route_53 %v", val("services local", "route_53").sub)
	}
	if want := map[string]string{"endpoint_url": "http://127.0.0.1:2"}; !reflect.DeepEqual(val("services local", "route_53_domains").sub, want) {
		t.Errorf("route_53_domains %v", val("services local", "route_53_domains").sub)
	}
	if len(got) != 2 {
		t.Errorf("sections %v", got)
	}
	if _, ok := got["profile dev"]["top"]; ok {
		t.Error("a property before any section was kept")
	}
}

// TestDefaultFiles: without AWS_CONFIG_FILE and
// AWS_SHARED_CREDENTIALS_FILE the files are ~/.aws/config and
// ~/.aws/credentials; the variables name others.
func TestDefaultFiles(t *testing.T) {
	home := isolate(t)
	os.Unsetenv("AWS_CONFIG_FILE")
	os.Unsetenv("AWS_SHARED_CREDENTIALS_FILE")
	writeAWS(t, home, "[default]\nendpoint_url = http://127.0.0.1:5\n", "[default]\naws_access_key_id = AKIA-HOME\naws_secret_access_key = home-secret\n")
	cfg, err := Load(context.Background(), config.AWS{}, testPolicy)
	if err != nil {
		t.Fatal(err)
	}
	if c, err := cfg.Credentials.Retrieve(context.Background()); err != nil || c.AccessKeyID != "AKIA-HOME" || *cfg.BaseEndpoint != "http://127.0.0.1:5" {
		t.Errorf("%s %v", c.AccessKeyID, err)
	}
	other := filepath.Join(t.TempDir(), "creds")
	if err := os.WriteFile(other, []byte("[default]\naws_access_key_id = AKIA-OTHER\naws_secret_access_key = home-secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", other)
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(home, "none"))
	cfg, err = Load(context.Background(), config.AWS{}, testPolicy)
	if err != nil {
		t.Fatal(err)
	}
	if c, err := cfg.Credentials.Retrieve(context.Background()); err != nil || c.AccessKeyID != "AKIA-OTHER" || cfg.BaseEndpoint != nil {
		t.Errorf("%s %v %v", c.AccessKeyID, err, cfg.BaseEndpoint)
	}
}
