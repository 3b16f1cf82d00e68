package main

import "syscall"

// childProcAttr is empty: macOS has no parent-death signal, so a harness
// killed with SIGKILL leaves its emulators running.
func childProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{}
}

// maxRSSBytes returns ru_maxrss, which macOS reports in bytes.
func maxRSSBytes(ru *syscall.Rusage) int64 {
	return ru.Maxrss
}
