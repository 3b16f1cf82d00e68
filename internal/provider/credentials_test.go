package provider

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestResolveCredentials(t *testing.T) {
	writeConfigure := func(t *testing.T, content string) {
		home := t.TempDir()
		t.Setenv("HOME", home)
		if content == "" {
			return
		}
		if err := os.MkdirAll(filepath.Join(home, ".ncloud"), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(home, ".ncloud", "configure"), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	const file = "[DEFAULT]\nncloud_access_key_id = FILEACCESS\nncloud_secret_access_key = FILESECRET\nncloud_api_url = https://ncloud.apigw.ntruss.com\n"

	cases := []struct {
		name       string
		config     credentials
		env        map[string]string
		file       string
		want       credentials
		wantMissed bool
	}{
		{name: "provider block first", config: credentials{"CFG", "CFGSECRET"}, env: map[string]string{"NCLOUD_ACCESS_KEY": "ENV", "NCLOUD_SECRET_KEY": "ENVSECRET"}, file: file, want: credentials{"CFG", "CFGSECRET"}},
		{name: "NCLOUD_ACCESS_KEY pair", env: map[string]string{"NCLOUD_ACCESS_KEY": "ENV", "NCLOUD_SECRET_KEY": "ENVSECRET", "NCLOUD_ACCESS_KEY_ID": "ID"}, file: file, want: credentials{"ENV", "ENVSECRET"}},
		{name: "NCLOUD_ACCESS_KEY_ID pair", env: map[string]string{"NCLOUD_ACCESS_KEY_ID": "ID", "NCLOUD_SECRET_ACCESS_KEY": "IDSECRET"}, file: file, want: credentials{"ID", "IDSECRET"}},
		{name: "configure file", file: file, want: credentials{"FILEACCESS", "FILESECRET"}},
		{name: "each value from its first source", config: credentials{AccessKey: "CFG"}, env: map[string]string{"NCLOUD_SECRET_KEY": "ENVSECRET"}, want: credentials{"CFG", "ENVSECRET"}},
		{name: "nothing", wantMissed: true},
		{name: "only an access key", config: credentials{AccessKey: "CFG"}, wantMissed: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, k := range []string{"NCLOUD_ACCESS_KEY", "NCLOUD_SECRET_KEY", "NCLOUD_ACCESS_KEY_ID", "NCLOUD_SECRET_ACCESS_KEY"} {
				t.Setenv(k, c.env[k])
			}
			writeConfigure(t, c.file)
			got, err := resolveCredentials(c.config)
			if c.wantMissed {
				if !errors.Is(err, errMissingCredentials) {
					t.Fatalf("err = %v, want errMissingCredentials", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("resolved access key %q (secret as wanted: %t), want %q", got.AccessKey, got.SecretKey == c.want.SecretKey, c.want.AccessKey)
			}
		})
	}
}
