package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
)

// machine describes where the numbers come from: they mean little without
// the cores, memory and versions that produced them.
type machine struct {
	CPU              string `json:"cpu"`
	Cores            int    `json:"cores"`
	MemoryGiB        string `json:"memory_gib"`
	OS               string `json:"os"`
	GoVersion        string `json:"go_version"`
	TerraformVersion string `json:"terraform_version"`
}

func describeMachine(ctx context.Context) machine {
	return machine{
		CPU:              cpuModel(),
		Cores:            runtime.NumCPU(),
		MemoryGiB:        memoryGiB(),
		OS:               runtime.GOOS + "/" + runtime.GOARCH,
		GoVersion:        runtime.Version(),
		TerraformVersion: terraformVersion(ctx),
	}
}

// cpuModel reads the first "model name" of /proc/cpuinfo.
func cpuModel() string {
	return procField("/proc/cpuinfo", "model name")
}

// memoryGiB reads MemTotal of /proc/meminfo, which is in kB.
func memoryGiB() string {
	kb, err := strconv.ParseFloat(strings.TrimSuffix(procField("/proc/meminfo", "MemTotal"), " kB"), 64)
	if err != nil {
		return "unknown"
	}
	return fmt.Sprintf("%.1f", kb/(1<<20))
}

// procField returns the value of the first "name: value" line of a /proc
// file, or "unknown" where there is no such file (macOS).
func procField(path, name string) string {
	f, err := os.Open(path)
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		k, v, ok := strings.Cut(s.Text(), ":")
		if ok && strings.TrimSpace(k) == name {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

func terraformVersion(ctx context.Context) string {
	cmd := exec.CommandContext(ctx, "terraform", "version", "-json")
	cmd.Env = terraformEnv(os.Environ())
	out, err := cmd.Output()
	if err != nil {
		return "unknown"
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if json.Unmarshal(out, &v) != nil {
		return "unknown"
	}
	return v.Version
}
