package awsconf

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// The shared config and credentials files (~/.aws/config,
// ~/.aws/credentials), read the way the SDK's own reader does
// (aws-sdk-go-v2/config v1.33.18, internal/ini and shared_config.go):
// "[profile NAME]" and "[default]" sections in the config file, "[NAME]"
// in the credentials file, "key = value" (or "key: value") properties
// with lower-cased keys and unquoted values, " #"/" ;" comments, indented
// sub-properties under a key without a value (a services section), and
// the credentials file's values over the config file's. Lines it does
// not recognise are skipped, as the SDK skips them. A file that cannot
// be read counts as empty, as for the SDK.

// iniValue is one property, where it was written.
type iniValue struct {
	value string
	sub   map[string]string // sub-properties, when value is ""
	pos   string            // FILE:LINE
}

// iniFile maps section names to their properties.
type iniFile map[string]map[string]iniValue

func parseINI(path string, data []byte) iniFile {
	f := iniFile{}
	var section, key string
	for n, line := range strings.Split(string(data), "\n") {
		line = strings.TrimRight(line, "\r")
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || trimmed[0] == '#' || trimmed[0] == ';' {
			continue
		}
		pos := fmt.Sprintf("%s:%d", path, n+1)
		if name, ok := iniSection(line); ok {
			section, key = name, ""
			if f[section] == nil {
				f[section] = map[string]iniValue{}
			}
			continue
		}
		if section == "" {
			continue // a property before any section: ignored, as by the SDK
		}
		indented := line[0] == ' ' || line[0] == '\t'
		if !indented {
			if k, v, ok := iniProperty(trimComment(line)); ok {
				key = k
				f[section][k] = iniValue{value: v, pos: pos}
			}
			continue
		}
		cur, ok := f[section][key]
		if k, v, isProp := iniProperty(trimmed); isProp && ok && cur.value == "" {
			if cur.sub == nil {
				cur.sub = map[string]string{}
			}
			cur.sub[k] = v
			f[section][key] = cur
		} else if isProp {
			// An indented property with no key to hang under: a
			// property of its own (the SDK "promotes" it too).
			v = unquote(strings.TrimSpace(trimComment(v)))
			key = k
			f[section][k] = iniValue{value: v, pos: pos}
		} else if ok && cur.value != "" {
			cur.value += "\n" + trimmed // a continuation line
			f[section][key] = cur
		}
	}
	return f
}

// iniSection reads "[ NAME ]" (comments after it allowed).
func iniSection(line string) (string, bool) {
	s, _, _ := strings.Cut(line, "#")
	s, _, _ = strings.Cut(s, ";")
	s = strings.TrimSpace(s)
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' {
		return "", false
	}
	return strings.Join(strings.Fields(s[1:len(s)-1]), " "), true
}

func trimComment(s string) string {
	for _, c := range []string{" #", " ;", "\t#", "\t;"} {
		s, _, _ = strings.Cut(s, c)
	}
	return s
}

// iniProperty splits "key = value" (or the legacy "key: value").
func iniProperty(s string) (key, value string, ok bool) {
	sep := "="
	if eq, colon := strings.Index(s, "="), strings.Index(s, ":"); eq == -1 || colon != -1 && colon < eq {
		sep = ":"
	}
	k, v, ok := strings.Cut(s, sep)
	if !ok {
		return "", "", false
	}
	return strings.ToLower(strings.TrimSpace(k)), unquote(strings.TrimSpace(v)), true
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '\'' && s[len(s)-1] == '\'') {
		return s[1 : len(s)-1]
	}
	return s
}

// profile is the named profile of both files.
type profile struct {
	name     string
	explicit string              // AWS_PROFILE or AWS_DEFAULT_PROFILE when it names the profile
	found    bool                // a section of that name is in either file
	config   map[string]iniValue // from the config file
	creds    map[string]iniValue // from the credentials file
	files    []string            // the files read, for messages
	// services are the "[services NAME]" sections of the config file.
	services map[string]map[string]iniValue
}

// sharedProfile reads the profile that AWS_PROFILE (else
// AWS_DEFAULT_PROFILE, else "default") names from AWS_CONFIG_FILE (else
// ~/.aws/config) and AWS_SHARED_CREDENTIALS_FILE (else
// ~/.aws/credentials). A profile named by a variable must exist, as for
// the SDK, whichever link of the chain gives the credentials. A file
// files holds (what the checks read: config.AWS.Shared) is read from
// there, else from disk, and then put in files when it is not nil.
func sharedProfile(files map[string][]byte) (profile, error) {
	p := profile{name: "default", services: map[string]map[string]iniValue{}}
	for _, env := range []string{"AWS_PROFILE", "AWS_DEFAULT_PROFILE"} {
		if v := os.Getenv(env); v != "" {
			p.name, p.explicit = v, env
			break
		}
	}
	home, _ := os.UserHomeDir()
	path := func(env, name string) string {
		if v := os.Getenv(env); v != "" {
			return v
		}
		if home == "" {
			return ""
		}
		return filepath.Join(home, ".aws", name)
	}
	if name := path("AWS_CONFIG_FILE", "config"); name != "" {
		p.files = append(p.files, name)
		f := readINI(name, files)
		sections := []string{"profile " + p.name}
		if p.name == "default" {
			// "[profile default]" wins over "[default]", as in the SDK.
			sections = []string{"default", "profile default"}
		}
		for _, s := range sections {
			if sec, ok := f[s]; ok {
				p.config, p.found = sec, true
			}
		}
		for s, sec := range f {
			if name, ok := strings.CutPrefix(s, "services "); ok {
				p.services[name] = sec
			}
		}
	}
	if name := path("AWS_SHARED_CREDENTIALS_FILE", "credentials"); name != "" {
		p.files = append(p.files, name)
		if sec, ok := readINI(name, files)[p.name]; ok {
			p.creds, p.found = sec, true
		}
	}
	if !p.found && p.explicit != "" {
		return p, fmt.Errorf("AWS profile %q (%s) is in none of %s", p.name, p.explicit, strings.Join(p.files, ", "))
	}
	return p, nil
}

// readINI is the file at path: files' bytes for it when it holds them,
// else the file's (put in files when it is not nil); a file that cannot
// be read is empty.
func readINI(path string, files map[string][]byte) iniFile {
	data, ok := files[path]
	if !ok {
		var err error
		if data, err = os.ReadFile(path); err != nil {
			data = nil
		}
		if files != nil {
			files[path] = data
		}
	}
	return parseINI(path, data)
}

// get is a key of the profile: the credentials file's, else the config
// file's.
func (p profile) get(key string) (iniValue, bool) {
	if v, ok := p.creds[key]; ok {
		return v, true
	}
	v, ok := p.config[key]
	return v, ok
}
