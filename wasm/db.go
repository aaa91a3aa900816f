//go:build js && wasm

package main

import (
	"encoding/json"
	"errors"
	"syscall/js"

	"github.com/backupinspector/backupinspector/parsers/inspect"
	"github.com/backupinspector/backupinspector/parsers/sqlite"
)

func currentSession() (*inspect.Session, error) {
	mu.Lock()
	defer mu.Unlock()
	if session == nil {
		return nil, errors.New("no inspection has finished yet")
	}
	return session, nil
}

type tableJSON struct {
	Name         string   `json:"name"`
	Type         string   `json:"type"`
	Columns      []string `json:"columns"`
	SQL          string   `json:"sql"`
	WithoutRowID bool     `json:"withoutRowid"`
}

func dbTablesJS(args []js.Value) (any, error) {
	s, err := currentSession()
	if err != nil {
		return nil, err
	}
	if len(args) < 1 {
		return nil, errors.New("biDBTables(path, noWal)")
	}
	db, err := s.Open(args[0].String(), len(args) > 1 && args[1].Truthy())
	if err != nil {
		return nil, err
	}
	out := struct {
		Tables []tableJSON          `json:"tables"`
		Schema []sqlite.SchemaEntry `json:"schema"`
	}{Tables: []tableJSON{}, Schema: db.Schema()}
	for _, t := range db.Tables() {
		tj := tableJSON{Name: t.Name, Type: t.Type, SQL: t.SQL, WithoutRowID: t.WithoutRowID, Columns: []string{}}
		for _, c := range t.Columns {
			tj.Columns = append(tj.Columns, c.Name)
		}
		out.Tables = append(out.Tables, tj)
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, err
	}
	return bytesToJS(b), nil
}

type rowJSON struct {
	RowID  *int64         `json:"rowid"`
	Values []sqlite.Value `json:"values"`
}

func dbRowsJS(args []js.Value) (any, error) {
	s, err := currentSession()
	if err != nil {
		return nil, err
	}
	if len(args) < 4 {
		return nil, errors.New("biDBRows(path, table, offset, limit, noWal)")
	}
	db, err := s.Open(args[0].String(), len(args) > 4 && args[4].Truthy())
	if err != nil {
		return nil, err
	}
	t := db.Table(args[1].String())
	if t == nil {
		return nil, errors.New("no such table")
	}
	offset, limit := args[2].Int(), args[3].Int()
	out := struct {
		Total int       `json:"total"`
		Rows  []rowJSON `json:"rows"`
	}{Rows: []rowJSON{}}
	rows := db.Rows(t)
	for rows.Next() {
		if out.Total >= offset && out.Total < offset+limit {
			r := rows.Row()
			rj := rowJSON{Values: r.Values}
			if r.HasRowID {
				id := r.RowID
				rj.RowID = &id
			}
			out.Rows = append(out.Rows, rj)
		}
		out.Total++
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, err
	}
	return bytesToJS(b), nil
}
