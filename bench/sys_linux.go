package main

import "syscall"

// childProcAttr makes the kernel kill a child (an emulator, or the provider
// under the wrapper) when its parent dies, so that none outlives a harness
// killed with SIGKILL, which no trap can catch.
func childProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

// maxRSSBytes converts ru_maxrss, which Linux reports in kilobytes.
func maxRSSBytes(ru *syscall.Rusage) int64 {
	return ru.Maxrss * 1024
}
