package main

import (
	"os"
	"syscall"
)

// childProcAttr is empty: macOS has no parent-death signal, so a harness
// killed with SIGKILL leaves its emulators running.
func childProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{}
}

// maxRSSKiB reads ru_maxrss from wait4, which macOS reports in bytes.
func maxRSSKiB(ps *os.ProcessState) float64 {
	ru, _ := ps.SysUsage().(*syscall.Rusage)
	return float64(ru.Maxrss) / 1024
}
