package emulator

import (
	"encoding/json"
	"fmt"
	"time"
)

// duration is a time.Duration written in JSON as a Go duration string
// ("50ms") and read from either such a string or integer nanoseconds.
type duration time.Duration

func (d duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

func (d *duration) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		v, err := time.ParseDuration(s)
		*d = duration(v)
		return err
	}
	var ns int64
	if err := json.Unmarshal(b, &ns); err != nil {
		return fmt.Errorf("duration %s is neither a string like \"50ms\" nor integer nanoseconds", b)
	}
	*d = duration(ns)
	return nil
}

// faultsJSON is Faults as the control endpoint reads and writes it, with the
// same names and readable durations.
type faultsJSON struct {
	Latency       duration `json:"latency,omitempty"`
	LatencyJitter duration `json:"latency_jitter,omitempty"`
	Faults        []Fault  `json:"faults,omitempty"`
	RateLimit     float64  `json:"rate_limit,omitempty"`
	RateBurst     int      `json:"rate_burst,omitempty"`
	ClockOffset   duration `json:"clock_offset,omitempty"`
}

// MarshalJSON writes durations as Go duration strings, such as "50ms".
func (f Faults) MarshalJSON() ([]byte, error) {
	return json.Marshal(faultsJSON{
		Latency:       duration(f.Latency),
		LatencyJitter: duration(f.LatencyJitter),
		Faults:        f.Faults,
		RateLimit:     f.RateLimit,
		RateBurst:     f.RateBurst,
		ClockOffset:   duration(f.ClockOffset),
	})
}

// UnmarshalJSON reads durations as Go duration strings or integer nanoseconds.
func (f *Faults) UnmarshalJSON(b []byte) error {
	var v faultsJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*f = Faults{
		Latency:       time.Duration(v.Latency),
		LatencyJitter: time.Duration(v.LatencyJitter),
		Faults:        v.Faults,
		RateLimit:     v.RateLimit,
		RateBurst:     v.RateBurst,
		ClockOffset:   time.Duration(v.ClockOffset),
	}
	return nil
}

// faultJSON is Fault with its Delay readable, under the same names.
type faultJSON struct {
	Route       Route             `json:"route,omitempty"`
	Kind        FaultKind         `json:"kind"`
	Status      int               `json:"status,omitempty"`
	ContentType string            `json:"content_type,omitempty"`
	Body        string            `json:"body,omitempty"`
	Header      map[string]string `json:"header,omitempty"`
	Delay       duration          `json:"delay,omitempty"`
	Rate        float64           `json:"rate,omitempty"`
	Count       int               `json:"count,omitempty"`
	After       int               `json:"after,omitempty"`
}

// MarshalJSON writes Delay as a Go duration string, such as "2s".
func (f Fault) MarshalJSON() ([]byte, error) {
	return json.Marshal(faultJSON{
		Route:       f.Route,
		Kind:        f.Kind,
		Status:      f.Status,
		ContentType: f.ContentType,
		Body:        f.Body,
		Header:      f.Header,
		Delay:       duration(f.Delay),
		Rate:        f.Rate,
		Count:       f.Count,
		After:       f.After,
	})
}

// UnmarshalJSON reads Delay as a Go duration string or integer nanoseconds.
func (f *Fault) UnmarshalJSON(b []byte) error {
	var v faultJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*f = Fault{
		Route:       v.Route,
		Kind:        v.Kind,
		Status:      v.Status,
		ContentType: v.ContentType,
		Body:        v.Body,
		Header:      v.Header,
		Delay:       time.Duration(v.Delay),
		Rate:        v.Rate,
		Count:       v.Count,
		After:       v.After,
	}
	return nil
}
