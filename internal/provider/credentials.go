package provider

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// credentials are the access key pair the provider signs requests with.
type credentials struct {
	AccessKey string
	SecretKey string
}

// errMissingCredentials names every way to supply credentials, in the order
// they are looked up, the same chain as the NCP SDK and the ncloud provider.
var errMissingCredentials = errors.New(`no NCP credentials were found. Supply an access key and a secret key in one of these ways, looked up in this order:
  1. access_key and secret_key in the provider "ncp" block;
  2. the environment variables NCLOUD_ACCESS_KEY and NCLOUD_SECRET_KEY;
  3. the environment variables NCLOUD_ACCESS_KEY_ID and NCLOUD_SECRET_ACCESS_KEY;
  4. ncloud_access_key_id and ncloud_secret_access_key in the file ~/.ncloud/configure.
Create keys under "My Page > Manage Account > Manage Authentication Keys" in the NCP console`)

// resolveCredentials fills each value from the first source that sets it:
// the provider block, then each environment variable pair, then the ncloud
// CLI's configure file.
func resolveCredentials(fromConfig credentials) (credentials, error) {
	sources := []func() (credentials, error){
		func() (credentials, error) { return fromConfig, nil },
		func() (credentials, error) {
			return credentials{os.Getenv("NCLOUD_ACCESS_KEY"), os.Getenv("NCLOUD_SECRET_KEY")}, nil
		},
		func() (credentials, error) {
			return credentials{os.Getenv("NCLOUD_ACCESS_KEY_ID"), os.Getenv("NCLOUD_SECRET_ACCESS_KEY")}, nil
		},
		readNcloudConfigureFile,
	}

	var creds credentials
	for _, source := range sources {
		if creds.AccessKey != "" && creds.SecretKey != "" {
			break
		}
		found, err := source()
		if err != nil {
			return credentials{}, err
		}
		if creds.AccessKey == "" {
			creds.AccessKey = found.AccessKey
		}
		if creds.SecretKey == "" {
			creds.SecretKey = found.SecretKey
		}
	}
	if creds.AccessKey == "" || creds.SecretKey == "" {
		return credentials{}, errMissingCredentials
	}
	return creds, nil
}

// readNcloudConfigureFile reads ~/.ncloud/configure, the ncloud CLI's
// "key = value" file. A missing file is not an error.
func readNcloudConfigureFile() (credentials, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return credentials{}, nil
	}
	path := filepath.Join(home, ".ncloud", "configure")
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return credentials{}, nil
	}
	if err != nil {
		return credentials{}, fmt.Errorf("reading NCP credentials from %s: %w", path, err)
	}
	defer f.Close()

	var creds credentials
	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		key, value, ok := strings.Cut(scanner.Text(), "=")
		if !ok {
			continue
		}
		switch strings.TrimSpace(key) {
		case "ncloud_access_key_id":
			creds.AccessKey = strings.TrimSpace(value)
		case "ncloud_secret_access_key":
			creds.SecretKey = strings.TrimSpace(value)
		}
	}
	if err := scanner.Err(); err != nil {
		return credentials{}, fmt.Errorf("reading NCP credentials from %s: %w", path, err)
	}
	return creds, nil
}
