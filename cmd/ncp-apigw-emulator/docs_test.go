package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// repoRoot is the repository, seen from this package's directory, where go
// test runs.
const repoRoot = "../.."

// docSources are what users read: the README, the sources of the generated
// docs, the generated docs themselves, and the contributors' notes.
var docSources = []string{"README.md", "templates", "examples", "docs", "contributing"}

// docExtensions are the files of docSources that hold examples.
var docExtensions = []string{".md", ".tmpl", ".tf", ".hcl"}

var (
	// emulatorEnvAssignment is NAME=value for a variable the emulator might
	// read, as a shell line or a prose example writes it.
	emulatorEnvAssignment = regexp.MustCompile(`\b(NCP_EMULATOR_[A-Z_]+)=("[^"]*"|'[^']*'|[^\s"'` + "`" + `]+)`)
	// loopbackURL is a URL on this machine, which in these docs can only be
	// the emulator's.
	loopbackURL = regexp.MustCompile(`https?://(?:127\.0\.0\.1|localhost|\[::1\]):(\d+)([^\s"'` + "`" + `)]*)`)
	// endpointExample is a value given to the provider's endpoint.
	endpointExample = regexp.MustCompile(`(?:\bendpoint\s*=\s*"|\bNCP_APIGW_ENDPOINT=["']?)([^"'\s]+)`)
	// credentialExample is a literal key pair half given to the provider,
	// in HCL or in its environment variables.
	credentialExample = regexp.MustCompile(`\b(access_key|secret_key)\s*=\s*"([^"]*)"|\b(NCLOUD_ACCESS_KEY(?:_ID)?|NCLOUD_SECRET(?:_ACCESS)?_KEY)=("[^"]*"|'[^']*'|[^\s"'` + "`" + `]+)`)
)

// docFile is one file of the docs, by its path in the repository.
type docFile struct {
	path string
	text string
}

// emulatorExample is what the docs say about one run of the emulator.
type emulatorExample struct {
	where     string // file:line
	listen    string
	accessKey string // "" when the docs do not say
	secretKey string
}

// TestDocsMatchTheEmulator keeps every emulator example of the docs in step
// with this command: each invocation of ncp-apigw-emulator parses with its
// real flags (and loads the products and faults it names), each
// NCP_EMULATOR_* variable is one the emulator reads, and every loopback URL,
// endpoint and literal credential given to the provider is one that an
// invocation of the docs actually serves.
func TestDocsMatchTheEmulator(t *testing.T) {
	files := readDocs(t)
	var runs []emulatorExample
	for _, f := range files {
		runs = append(runs, emulatorRuns(t, f)...)
	}
	if !slices.ContainsFunc(runs, func(r emulatorExample) bool { return strings.HasPrefix(r.where, "README.md:") && r.listen != "" }) {
		t.Fatalf("found no emulator invocation with -listen in README.md (found %d elsewhere): the scan no longer finds what it checks", len(runs))
	}
	ports := map[string]bool{}
	accessKeys, secretKeys := map[string]bool{}, map[string]bool{}
	for _, r := range runs {
		if _, port, err := net.SplitHostPort(r.listen); err == nil && port != "0" {
			ports[port] = true
		}
		if r.accessKey != "" {
			accessKeys[r.accessKey] = true
		}
		if r.secretKey != "" {
			secretKeys[r.secretKey] = true
		}
	}

	for _, f := range files {
		for _, m := range loopbackURL.FindAllStringSubmatchIndex(f.text, -1) {
			port := f.text[m[2]:m[3]]
			if !ports[port] {
				t.Errorf("%s: %s: no emulator invocation in the docs listens on port %s (they listen on %v)", f.where(m[0]), f.text[m[0]:m[1]], port, keys(ports))
			}
		}
		for _, m := range endpointExample.FindAllStringSubmatchIndex(f.text, -1) {
			endpoint := f.text[m[2]:m[3]]
			if loopbackURL.MatchString(endpoint) && !strings.HasSuffix(endpoint, "/api/v1") {
				t.Errorf("%s: endpoint %s: the provider needs the base URL of the API, ending in /api/v1", f.where(m[0]), endpoint)
			}
		}
		for _, m := range credentialExample.FindAllStringSubmatchIndex(f.text, -1) {
			name, value := submatch(f.text, m, 1), submatch(f.text, m, 2)
			if name == "" {
				name, value = submatch(f.text, m, 3), unquote(submatch(f.text, m, 4))
			}
			if strings.HasPrefix(value, "$") || strings.Trim(value, ".") == "" {
				continue // a variable, or a placeholder
			}
			known := accessKeys
			if strings.Contains(strings.ToLower(name), "secret") {
				known = secretKeys
			}
			if !known[value] {
				t.Errorf("%s: %s = %q is no key any emulator invocation of the docs is started with (%v)", f.where(m[0]), name, value, keys(known))
			}
		}
	}
}

// emulatorRuns checks the invocations of ncp-apigw-emulator in f and
// returns what they run.
func emulatorRuns(t *testing.T, f docFile) []emulatorExample {
	t.Helper()
	env := map[string]string{}
	for _, m := range emulatorEnvAssignment.FindAllStringSubmatchIndex(f.text, -1) {
		name := f.text[m[2]:m[3]]
		switch name {
		case envAccessKey, envSecretKey, envOtherSecretKey:
			env[name] = unquote(f.text[m[4]:m[5]])
		default:
			t.Errorf("%s: the emulator reads no %s, only %s, %s and %s", f.where(m[0]), name, envAccessKey, envSecretKey, envOtherSecretKey)
		}
	}
	// Keys the file does not give are not what is checked here; they are
	// not recorded either.
	const unstated = "(unstated)"
	getenv := func(name string) string {
		if v, ok := env[name]; ok {
			return v
		}
		return unstated
	}

	var runs []emulatorExample
	const program = "ncp-apigw-emulator"
	for offset := 0; ; {
		i := strings.Index(f.text[offset:], program)
		if i < 0 {
			return runs
		}
		start, end := offset+i, offset+i+len(program)
		offset = end
		// An invocation is the program's name, as a word or at the end of a
		// path, followed by flags; a mention in prose or a path to the
		// package is not one.
		if start > 0 && !strings.ContainsRune(" \t\n/`(", rune(f.text[start-1])) ||
			!strings.HasPrefix(strings.TrimLeft(f.text[end:], " \t"), "-") {
			continue
		}
		args := shellWords(f.text[end:])
		for i, arg := range args {
			// Files named with @path are relative to the repository's root,
			// where the README's commands run.
			if path, ok := strings.CutPrefix(arg, "@"); ok && !filepath.IsAbs(path) {
				args[i] = "@" + filepath.Join(repoRoot, path)
			}
		}
		o, err := parseOptions(args, getenv, io.Discard)
		if errors.Is(err, flag.ErrHelp) {
			continue
		}
		if err != nil {
			t.Errorf("%s: %s %s: %v", f.where(start), program, strings.Join(args, " "), err)
			continue
		}
		checkProducts(t, f.where(start), args, o)
		run := emulatorExample{where: f.where(start), listen: explicitListen(args, o)}
		if o.config.AccessKey != unstated {
			run.accessKey = o.config.AccessKey
		}
		if o.config.SecretKey != unstated {
			run.secretKey = o.config.SecretKey
		}
		runs = append(runs, run)
	}
}

// explicitListen is the -listen address when the invocation gives one: the
// default picks a free port, which no example can name.
func explicitListen(args []string, o options) string {
	for _, arg := range args {
		if arg == "-listen" || arg == "--listen" || strings.HasPrefix(arg, "-listen=") || strings.HasPrefix(arg, "--listen=") {
			return o.listen
		}
	}
	return ""
}

// checkProducts loads the invocation's products as the emulator does, and
// reads a -products file strictly too, so that a misspelt field, which the
// emulator would ignore, fails here.
func checkProducts(t *testing.T, where string, args []string, o options) {
	t.Helper()
	emu := emulator.New(o.config)
	for _, p := range o.products {
		if _, err := emu.PutProduct(p); err != nil {
			t.Errorf("%s: -products: %v", where, err)
		}
	}
	i := slices.Index(args, "-products")
	if i < 0 || i+1 >= len(args) || !strings.HasPrefix(args[i+1], "@") {
		return
	}
	data, err := os.ReadFile(strings.TrimPrefix(args[i+1], "@"))
	if err != nil {
		t.Errorf("%s: %v", where, err)
		return
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var products []emulator.Product
	if err := dec.Decode(&products); err != nil {
		t.Errorf("%s: -products %s: %v", where, args[i+1], err)
	}
}

// shellWords splits the start of s into words as a shell would, up to the
// end of the command: an unescaped newline, a comment, or an operator. It
// knows quotes and backslashes, not expansions.
func shellWords(s string) []string {
	var (
		words []string
		word  strings.Builder
		in    bool
	)
	flush := func() {
		if in {
			words = append(words, word.String())
		}
		word.Reset()
		in = false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\'' || c == '"':
			j := strings.IndexByte(s[i+1:], c)
			if j < 0 {
				j = len(s) - i - 1
			}
			word.WriteString(s[i+1 : i+1+j])
			in = true
			i += j + 1
		case c == '\\' && i+1 < len(s):
			i++
			if s[i] != '\n' {
				word.WriteByte(s[i])
				in = true
			}
		case c == ' ' || c == '\t':
			flush()
		case c == '#' && !in, strings.IndexByte("\n&;|<>`)", c) >= 0:
			flush()
			return words
		default:
			word.WriteByte(c)
			in = true
		}
	}
	flush()
	return words
}

func readDocs(t *testing.T) []docFile {
	t.Helper()
	var files []docFile
	for _, source := range docSources {
		err := filepath.WalkDir(filepath.Join(repoRoot, source), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !slices.Contains(docExtensions, filepath.Ext(path)) {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			rel, err := filepath.Rel(repoRoot, path)
			files = append(files, docFile{path: filepath.ToSlash(rel), text: string(data)})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return files
}

// where is the file and line of the byte at offset.
func (f docFile) where(offset int) string {
	return f.path + ":" + strconv.Itoa(1+strings.Count(f.text[:offset], "\n"))
}

func submatch(s string, m []int, i int) string {
	if m[2*i] < 0 {
		return ""
	}
	return s[m[2*i]:m[2*i+1]]
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestShellWords(t *testing.T) {
	for in, want := range map[string][]string{
		" -listen 127.0.0.1:0 -products @p.json &\nnext":          {"-listen", "127.0.0.1:0", "-products", "@p.json"},
		" -access-key 'a b' -secret-key \"c\" # comment":          {"-access-key", "a b", "-secret-key", "c"},
		" -seed 3 \\\n  -latency 1s | tee log":                    {"-seed", "3", "-latency", "1s"},
		" -faults '{\"faults\":[]}'` lists":                       {"-faults", `{"faults":[]}`},
		" -h)":                                                    {"-h"},
		" -products '[{\"productName\": \"a; b\"}]'; echo done\n": {"-products", `[{"productName": "a; b"}]`},
	} {
		if got := shellWords(in); !slices.Equal(got, want) {
			t.Errorf("shellWords(%q) = %q, want %q", in, got, want)
		}
	}
}
