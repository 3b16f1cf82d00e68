package main

import (
	"os"
	"syscall"
)

// childProcAttr makes the kernel kill an emulator when the harness dies, so
// that none outlives a harness killed with SIGKILL, which no trap catches.
func childProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

// maxRSSKiB reads ru_maxrss from wait4, which Linux reports in KiB.
func maxRSSKiB(ps *os.ProcessState) float64 {
	ru, _ := ps.SysUsage().(*syscall.Rusage)
	return float64(ru.Maxrss)
}
