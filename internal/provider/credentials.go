package provider

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// credentials are the access key pair the provider signs requests with, and
// where they were found (never the values themselves).
type credentials struct {
	AccessKey string
	SecretKey string
	Source    string
}

// errMissingCredentials names every source of credentials in the order they
// are looked up: the provider block, then the NCP SDK's chain.
var errMissingCredentials = errors.New(`no NCP credentials were found. Supply an access key and a secret key, both from one of these sources, looked up in this order:
  1. access_key and secret_key in the provider "ncp" block;
  2. the environment: NCLOUD_ACCESS_KEY_ID (or NCLOUD_ACCESS_KEY) and NCLOUD_SECRET_ACCESS_KEY (or NCLOUD_SECRET_KEY);
  3. ncloud_access_key_id and ncloud_secret_access_key in the file ~/.ncloud/configure.
Create keys under "My Page > Manage Account > Manage Authentication Keys" in the NCP console`)

// resolveCredentials takes both halves of the key pair from the first
// source that has them: the provider block, then the environment, then
// ~/.ncloud/configure, the order of the NCP SDK's default chain. Halves are
// never combined across sources. A source holding only one half is an error
// when it is the provider block, which the user wrote on purpose, and is
// skipped with a warning otherwise, as the SDK skips it. getenv and home are
// os.Getenv and os.UserHomeDir outside tests.
func resolveCredentials(fromConfig credentials, getenv func(string) string, home func() (string, error)) (credentials, []string, error) {
	switch {
	case fromConfig.AccessKey != "" && fromConfig.SecretKey != "":
		fromConfig.Source = `the provider "ncp" block`
		return fromConfig, nil, nil
	case fromConfig.AccessKey != "":
		return credentials{}, nil, errors.New(`access_key is set in the provider "ncp" block but secret_key is not. Set both there, or neither to use the environment or ~/.ncloud/configure`)
	case fromConfig.SecretKey != "":
		return credentials{}, nil, errors.New(`secret_key is set in the provider "ncp" block but access_key is not. Set both there, or neither to use the environment or ~/.ncloud/configure`)
	}

	var warnings []string
	creds, warning := credentialsFromEnv(getenv)
	if creds.AccessKey != "" {
		return creds, nil, nil
	}
	if warning != "" {
		warnings = append(warnings, warning)
	}

	dir, err := home()
	if err != nil {
		return credentials{}, warnings, errMissingCredentials
	}
	creds, fileWarnings, err := readConfigureFile(filepath.Join(dir, ".ncloud", "configure"))
	warnings = append(warnings, fileWarnings...)
	if err != nil {
		return credentials{}, warnings, err
	}
	if creds.AccessKey == "" {
		return credentials{}, warnings, errMissingCredentials
	}
	return creds, warnings, nil
}

// credentialsFromEnv reads the variables the NCP SDK reads, preferring the
// _ID / _ACCESS_KEY names as it does. It returns no credentials, and a
// warning naming the variable that is set, when only one half is set.
func credentialsFromEnv(getenv func(string) string) (credentials, string) {
	firstSet := func(names ...string) (string, string) {
		for _, name := range names {
			if v := getenv(name); v != "" {
				return name, v
			}
		}
		return "", ""
	}
	accessName, accessKey := firstSet("NCLOUD_ACCESS_KEY_ID", "NCLOUD_ACCESS_KEY")
	secretName, secretKey := firstSet("NCLOUD_SECRET_ACCESS_KEY", "NCLOUD_SECRET_KEY")
	switch {
	case accessKey != "" && secretKey != "":
		return credentials{AccessKey: accessKey, SecretKey: secretKey, Source: "the environment (" + accessName + ", " + secretName + ")"}, ""
	case accessKey != "":
		return credentials{}, accessName + " is set but neither NCLOUD_SECRET_ACCESS_KEY nor NCLOUD_SECRET_KEY is, so the environment was skipped and ~/.ncloud/configure was tried next."
	case secretKey != "":
		return credentials{}, secretName + " is set but neither NCLOUD_ACCESS_KEY_ID nor NCLOUD_ACCESS_KEY is, so the environment was skipped and ~/.ncloud/configure was tried next."
	}
	return credentials{}, ""
}

// Keys of ~/.ncloud/configure.
const (
	configureAccessKey = "ncloud_access_key_id"
	configureSecretKey = "ncloud_secret_access_key"
)

// readConfigureFile reads ~/.ncloud/configure as the NCP SDK does: every
// "key = value" line counts, whatever [section] it is in, and the last
// occurrence of a key wins; other lines are ignored. Unlike the SDK, a value
// keeps any "=" it contains. A missing file is not an error. When the file
// has several sections the SDK cannot tell apart, the warning names the
// sections the values came from, never the values.
func readConfigureFile(path string) (credentials, []string, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return credentials{}, nil, nil
	}
	if err != nil {
		return credentials{}, nil, fmt.Errorf("reading NCP credentials from %s: %w", path, err)
	}
	defer f.Close()

	var (
		creds                       credentials
		section, accessIn, secretIn string
		sections                    []string
	)
	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		line := strings.TrimSpace(scanner.Text())
		if name, ok := strings.CutPrefix(line, "["); ok && strings.HasSuffix(name, "]") {
			section = strings.TrimSuffix(name, "]")
			if !slices.Contains(sections, section) {
				sections = append(sections, section)
			}
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		switch strings.TrimSpace(key) {
		case configureAccessKey:
			creds.AccessKey, accessIn = strings.TrimSpace(value), section
		case configureSecretKey:
			creds.SecretKey, secretIn = strings.TrimSpace(value), section
		}
	}
	if err := scanner.Err(); err != nil {
		return credentials{}, nil, fmt.Errorf("reading NCP credentials from %s: %w", path, err)
	}

	switch {
	case creds.AccessKey == "" && creds.SecretKey == "":
		return credentials{}, nil, nil
	case creds.AccessKey == "":
		return credentials{}, nil, fmt.Errorf("%s has %s but no %s: add it, or supply both keys in the provider block or the environment", path, configureSecretKey, configureAccessKey)
	case creds.SecretKey == "":
		return credentials{}, nil, fmt.Errorf("%s has %s but no %s: add it, or supply both keys in the provider block or the environment", path, configureAccessKey, configureSecretKey)
	}
	creds.Source = path
	var warnings []string
	if len(sections) > 1 {
		used := fmt.Sprintf("section [%s]", accessIn)
		if accessIn != secretIn {
			used = fmt.Sprintf("%s from section [%s] and %s from section [%s]", configureAccessKey, accessIn, configureSecretKey, secretIn)
		}
		warnings = append(warnings, fmt.Sprintf("%s has %d sections (%s). Like the NCP SDK, the provider does not choose a section by name: "+
			"it takes the last value of each key in the file, here %s. Keep one section, or set the keys in the provider block or the environment.",
			path, len(sections), "["+strings.Join(sections, "], [")+"]", used))
	}
	return creds, warnings, nil
}
