package provider

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestResolveCredentials(t *testing.T) {
	const file = "[DEFAULT]\nncloud_access_key_id = FILEACCESS\nncloud_secret_access_key = FILESECRET\nncloud_api_url = https://ncloud.apigw.ntruss.com\n"
	cases := []struct {
		name         string
		config       credentials
		env          map[string]string
		file         string // ~/.ncloud/configure; none when empty
		want         credentials
		wantErr      string // a part of the error; "" for none
		wantWarnings []string
	}{
		{
			name:   "provider block first",
			config: credentials{AccessKey: "CFG", SecretKey: "CFGSECRET"},
			env:    map[string]string{"NCLOUD_ACCESS_KEY": "ENV", "NCLOUD_SECRET_KEY": "ENVSECRET"}, file: file,
			want: credentials{"CFG", "CFGSECRET", `the provider "ncp" block`},
		},
		{
			name:    "half a pair in the provider block is an error",
			config:  credentials{AccessKey: "CFG"},
			env:     map[string]string{"NCLOUD_SECRET_KEY": "ENVSECRET"},
			wantErr: "access_key is set in the provider \"ncp\" block but secret_key is not",
		},
		{
			name:    "a secret alone in the provider block is an error",
			config:  credentials{SecretKey: "CFGSECRET"},
			env:     map[string]string{"NCLOUD_ACCESS_KEY": "ENV", "NCLOUD_SECRET_KEY": "ENVSECRET"},
			wantErr: "secret_key is set in the provider \"ncp\" block but access_key is not",
		},
		{
			name: "the SDK prefers the _ID names",
			env:  map[string]string{"NCLOUD_ACCESS_KEY": "ENV", "NCLOUD_SECRET_KEY": "ENVSECRET", "NCLOUD_ACCESS_KEY_ID": "ID", "NCLOUD_SECRET_ACCESS_KEY": "IDSECRET"},
			want: credentials{"ID", "IDSECRET", "the environment (NCLOUD_ACCESS_KEY_ID, NCLOUD_SECRET_ACCESS_KEY)"},
		},
		{
			name: "NCLOUD_ACCESS_KEY pair",
			env:  map[string]string{"NCLOUD_ACCESS_KEY": "ENV", "NCLOUD_SECRET_KEY": "ENVSECRET"}, file: file,
			want: credentials{"ENV", "ENVSECRET", "the environment (NCLOUD_ACCESS_KEY, NCLOUD_SECRET_KEY)"},
		},
		{
			name: "either name of each half, as the SDK reads them",
			env:  map[string]string{"NCLOUD_ACCESS_KEY_ID": "ID", "NCLOUD_SECRET_KEY": "ENVSECRET"},
			want: credentials{"ID", "ENVSECRET", "the environment (NCLOUD_ACCESS_KEY_ID, NCLOUD_SECRET_KEY)"},
		},
		{
			name: "configure file",
			file: file,
			want: credentials{"FILEACCESS", "FILESECRET", "configure"},
		},
		{
			name:         "half a pair in the environment is skipped, never mixed with the file",
			env:          map[string]string{"NCLOUD_ACCESS_KEY": "ENV"},
			file:         file,
			want:         credentials{"FILEACCESS", "FILESECRET", "configure"},
			wantWarnings: []string{"NCLOUD_ACCESS_KEY is set but neither NCLOUD_SECRET_ACCESS_KEY nor NCLOUD_SECRET_KEY is"},
		},
		{
			name:         "half a secret in the environment is skipped too",
			env:          map[string]string{"NCLOUD_SECRET_KEY": "ENVSECRET"},
			wantErr:      "no NCP credentials were found",
			wantWarnings: []string{"NCLOUD_SECRET_KEY is set but neither NCLOUD_ACCESS_KEY_ID nor NCLOUD_ACCESS_KEY is"},
		},
		{
			name:    "half a pair in the file is an error",
			file:    "ncloud_access_key_id = FILEACCESS\n",
			wantErr: "has ncloud_access_key_id but no ncloud_secret_access_key",
		},
		{
			name: "several sections: the last value of each key, with a warning naming the sections",
			file: file + "\n[prod]\nncloud_access_key_id=PRODACCESS\nncloud_secret_access_key=PROD=SECRET\n",
			want: credentials{"PRODACCESS", "PROD=SECRET", "configure"},
			wantWarnings: []string{
				"has 2 sections ([DEFAULT], [prod])",
				"here section [prod]",
			},
		},
		{
			name: "several sections, halves from different ones",
			file: file + "[prod]\nncloud_access_key_id = PRODACCESS\n",
			want: credentials{"PRODACCESS", "FILESECRET", "configure"},
			wantWarnings: []string{
				"ncloud_access_key_id from section [prod] and ncloud_secret_access_key from section [DEFAULT]",
			},
		},
		{
			name: "lines that are not key = value are ignored",
			file: "# comment\nncloud_access_key_id\n  ncloud_access_key_id =  SPACED  \nncloud_secret_access_key= S \n",
			want: credentials{"SPACED", "S", "configure"},
		},
		{
			name:    "nothing",
			wantErr: "no NCP credentials were found",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			home := t.TempDir()
			if c.file != "" {
				if err := os.MkdirAll(filepath.Join(home, ".ncloud"), 0o700); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(home, ".ncloud", "configure"), []byte(c.file), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			getenv := func(name string) string { return c.env[name] }
			got, warnings, err := resolveCredentials(c.config, getenv, func() (string, error) { return home, nil })

			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err = %v, want one saying %q", err, c.wantErr)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if len(warnings) != min(len(c.wantWarnings), 1) {
				t.Errorf("got %d warnings, want %d: %q", len(warnings), min(len(c.wantWarnings), 1), warnings)
			}
			for _, want := range c.wantWarnings {
				if !strings.Contains(strings.Join(warnings, "\n"), want) {
					t.Errorf("warnings %q do not say %q", warnings, want)
				}
			}
			for _, w := range warnings {
				for _, secret := range []string{"FILESECRET", "PROD=SECRET", "ENVSECRET", "PRODACCESS", "FILEACCESS"} {
					if strings.Contains(w, secret) {
						t.Errorf("a warning holds a credential value: %q", w)
					}
				}
			}
			if c.wantErr != "" {
				return
			}
			if got.AccessKey != c.want.AccessKey || got.SecretKey != c.want.SecretKey {
				t.Errorf("resolved access key %q (secret as wanted: %t), want %q", got.AccessKey, got.SecretKey == c.want.SecretKey, c.want.AccessKey)
			}
			if !strings.Contains(got.Source, c.want.Source) {
				t.Errorf("source %q, want one naming %q", got.Source, c.want.Source)
			}
		})
	}
}

func TestMissingCredentialsNameEverySource(t *testing.T) {
	_, _, err := resolveCredentials(credentials{}, func(string) string { return "" }, func() (string, error) { return "", errors.New("no home") })
	if !errors.Is(err, errMissingCredentials) {
		t.Fatalf("err = %v, want errMissingCredentials", err)
	}
	for _, want := range []string{"provider \"ncp\" block", "NCLOUD_ACCESS_KEY_ID", "NCLOUD_SECRET_ACCESS_KEY", "~/.ncloud/configure"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error does not name %s", want)
		}
	}
}
