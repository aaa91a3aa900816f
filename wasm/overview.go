//go:build js && wasm

package main

import (
	"encoding/json"
	"syscall/js"

	"github.com/backupinspector/backupinspector/parsers/report"
)

// The overview is sent to the page as soon as the report is final, before
// the whole report (50 MB for 100k messages) is encoded, handed over and
// loaded into the page's model, which takes seconds at 1 GiB: the page
// shows it at once and the lists when the report follows.

// overview is the part of a finished report that the page's overview
// shows: the report's small members, the first problems and apps, and the
// sizes of its arrays.
type overview struct {
	Schema    string            `json:"schema"`
	Generator report.Generator  `json:"generator"`
	Inputs    []report.Input    `json:"inputs"`
	Device    report.Device     `json:"device"`
	Exposure  report.Exposure   `json:"exposure"`
	Databases []report.Database `json:"databases"`
	Apps      []report.App      `json:"apps"`     // the first overviewApps
	Problems  []report.Problem  `json:"problems"` // the first overviewProblems
	Limits    report.Limits     `json:"limits"`
	Counts    overviewCounts    `json:"counts"`
}

// overviewCounts are the lengths of the report's arrays.
type overviewCounts struct {
	Messages        int `json:"messages"`
	DeletedMessages int `json:"deletedMessages"`
	Contacts        int `json:"contacts"`
	DeletedContacts int `json:"deletedContacts"`
	Calls           int `json:"calls"`
	DeletedCalls    int `json:"deletedCalls"`
	Identifiers     int `json:"identifiers"`
	Apps            int `json:"apps"`
	Files           int `json:"files"`
	Databases       int `json:"databases"`
	Recovered       int `json:"recovered"`
	Payloads        int `json:"payloads"`
	Problems        int `json:"problems"`
	// Timeline: live messages and calls with a time (the timeline's
	// events).
	Timeline int `json:"timeline"`
}

// As many as the page's model summary keeps (model.js summary).
const (
	overviewApps     = 50
	overviewProblems = 200
)

func overviewOf(r *report.Report) overview {
	o := overview{
		Schema: r.Schema, Generator: r.Generator, Inputs: r.Inputs, Device: r.Device, Exposure: r.Exposure,
		Databases: r.Databases, Apps: r.Apps[:min(len(r.Apps), overviewApps)],
		Problems: r.Problems[:min(len(r.Problems), overviewProblems)], Limits: r.Limits,
		Counts: overviewCounts{
			Messages: len(r.Messages), DeletedMessages: len(r.Deleted.Messages),
			Contacts: len(r.Contacts), DeletedContacts: len(r.Deleted.Contacts),
			Calls: len(r.Calls), DeletedCalls: len(r.Deleted.Calls),
			Identifiers: len(r.Identifiers), Apps: len(r.Apps), Files: len(r.Files), Databases: len(r.Databases),
			Recovered: len(r.Recovered), Payloads: len(r.Payloads), Problems: len(r.Problems),
		},
	}
	for i := range r.Messages {
		if r.Messages[i].Time != nil {
			o.Counts.Timeline++
		}
	}
	for i := range r.Calls {
		if r.Calls[i].Time != nil {
			o.Counts.Timeline++
		}
	}
	return o
}

// sendOverview hands the overview of rep to callbacks.onOverview(json),
// if the page gave one.
func sendOverview(rep *report.Report, cb js.Value) {
	if !cb.Truthy() || cb.Get("onOverview").Type() != js.TypeFunction {
		return
	}
	b, err := json.Marshal(overviewOf(rep))
	if err != nil {
		return
	}
	cb.Call("onOverview", string(b))
}
