package main

import "syscall"

// childProcAttr makes the kernel kill an emulator when the harness dies, so
// that none outlives a harness killed with SIGKILL, which no trap catches.
func childProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

// maxRSSKiB reads ru_maxrss, which Linux reports in KiB.
func maxRSSKiB(ru *syscall.Rusage) float64 {
	return float64(ru.Maxrss)
}
