package main

import (
	"slices"
	"time"
)

// median is the middle of the samples (the mean of the two middle ones for
// an even count), which one slow run of a noisy machine cannot move much.
// It is 0 for no samples.
func median(samples []float64) float64 {
	if len(samples) == 0 {
		return 0
	}
	s := slices.Clone(samples)
	slices.Sort(s)
	mid := len(s) / 2
	if len(s)%2 == 1 {
		return s[mid]
	}
	return (s[mid-1] + s[mid]) / 2
}

// ratio is a/b, or 0 when there is no baseline to divide by.
func ratio(a, b float64) float64 {
	if b <= 0 {
		return 0
	}
	return a / b
}

// seconds converts a duration for the report, which keeps every time in
// seconds so that its JSON is easy to plot.
func seconds(d time.Duration) float64 {
	return d.Seconds()
}
