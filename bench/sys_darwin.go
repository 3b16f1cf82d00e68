package main

import "syscall"

// childProcAttr is empty: macOS has no parent-death signal, so a harness
// killed with SIGKILL leaves its emulators running.
func childProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{}
}

// maxRSSKiB reads ru_maxrss, which macOS reports in bytes.
func maxRSSKiB(ru *syscall.Rusage) float64 {
	return float64(ru.Maxrss) / 1024
}
