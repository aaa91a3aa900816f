//go:build js && wasm

package main

import (
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
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

type columnJSON struct {
	Name       string `json:"name"`
	Type       string `json:"type,omitempty"`
	PrimaryKey bool   `json:"pk,omitempty"`
}

type tableJSON struct {
	Name         string       `json:"name"`
	Type         string       `json:"type"`
	Columns      []string     `json:"columns"`
	ColumnInfo   []columnJSON `json:"columnInfo"`
	SQL          string       `json:"sql"`
	WithoutRowID bool         `json:"withoutRowid"`
	Module       string       `json:"module,omitempty"`
	RowIDColumn  int          `json:"rowidColumn"`
}

type walJSON struct {
	Present           bool  `json:"present"`
	Size              int64 `json:"size"`
	HeaderValid       bool  `json:"headerValid"`
	FramesTotal       int   `json:"framesTotal"`
	ValidFrames       int   `json:"validFrames"`
	Commits           int   `json:"commits"`
	AppliedFrames     int   `json:"appliedFrames"`
	UncommittedFrames int   `json:"uncommittedFrames"`
}

// dbTablesJS answers biDBTables(path, noWal): the tables, the whole schema,
// the WAL summary and the problems met while opening.
func dbTablesJS(args []js.Value) (any, error) {
	if len(args) < 1 {
		return nil, errors.New("biDBTables(path, noWal)")
	}
	db, err := openDB(args[0].String(), len(args) > 1 && args[1].Truthy())
	if err != nil {
		return nil, err
	}
	wi := db.WALInfo()
	out := struct {
		Tables   []tableJSON          `json:"tables"`
		Schema   []sqlite.SchemaEntry `json:"schema"`
		PageSize int                  `json:"pageSize"`
		Pages    uint32               `json:"pages"`
		Encoding string               `json:"encoding"`
		WAL      walJSON              `json:"wal"`
		Problems []string             `json:"problems"`
	}{Tables: []tableJSON{}, Schema: db.Schema(), PageSize: db.PageSize(), Pages: db.PageCount(),
		Encoding: db.Encoding().String(), Problems: []string{},
		WAL: walJSON{Present: wi.Present, Size: wi.Size, HeaderValid: wi.HeaderValid, FramesTotal: wi.FramesTotal,
			ValidFrames: wi.ValidFrames, Commits: wi.Commits, AppliedFrames: wi.AppliedFrames, UncommittedFrames: wi.UncommittedFrames}}
	for _, t := range db.Tables() {
		tj := tableJSON{Name: t.Name, Type: t.Type, SQL: t.SQL, WithoutRowID: t.WithoutRowID, Module: t.Module,
			RowIDColumn: t.RowIDColumn, Columns: []string{}, ColumnInfo: []columnJSON{}}
		for _, c := range t.Columns {
			tj.Columns = append(tj.Columns, c.Name)
			tj.ColumnInfo = append(tj.ColumnInfo, columnJSON{Name: c.Name, Type: c.Type, PrimaryKey: c.PrimaryKey})
		}
		out.Tables = append(out.Tables, tj)
	}
	for _, p := range db.Problems() {
		out.Problems = append(out.Problems, p.Error())
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, err
	}
	return bytesToJS(b), nil
}

// dbRowsJS answers biDBRows(path, table, offset, limit, noWal): one page of
// rows in table order.
func dbRowsJS(args []js.Value) (any, error) {
	if len(args) < 4 {
		return nil, errors.New("biDBRows(path, table, offset, limit, noWal)")
	}
	q := dbQuery{Path: args[0].String(), Table: args[1].String(), Offset: args[2].Int(), Limit: args[3].Int(),
		NoWAL: len(args) > 4 && args[4].Truthy(), Sort: -1}
	b, err := runDBQuery(q)
	if err != nil {
		return nil, err
	}
	return bytesToJS(b), nil
}

// dbQueryJS answers biDBQuery(jsonString): rows of a table, filtered and
// sorted inside the worker so that only one page crosses to the page.
func dbQueryJS(args []js.Value) (any, error) {
	if len(args) < 1 {
		return nil, errors.New("biDBQuery(query)")
	}
	var q dbQuery
	if err := json.Unmarshal([]byte(args[0].String()), &q); err != nil {
		return nil, err
	}
	b, err := runDBQuery(q)
	if err != nil {
		return nil, err
	}
	return bytesToJS(b), nil
}

// openDB opens a database of the current session (cached per path and
// view, since opening reads the schema and the WAL index).
func openDB(path string, noWAL bool) (*sqlite.DB, error) {
	s, err := currentSession()
	if err != nil {
		return nil, err
	}
	dbMu.Lock()
	defer dbMu.Unlock()
	if dbOpenSess != s {
		dbOpen, dbOpenSess, cache = map[dbKey]*sqlite.DB{}, s, nil
	}
	k := dbKey{path: path, noWAL: noWAL}
	if db := dbOpen[k]; db != nil {
		return db, nil
	}
	db, err := s.Open(path, noWAL)
	if err != nil {
		return nil, err
	}
	dbOpen[k] = db
	return db, nil
}

// resetDBCache forgets the databases of an earlier session.
func resetDBCache() {
	dbMu.Lock()
	defer dbMu.Unlock()
	dbOpen, dbOpenSess, cache = nil, nil, nil
}

func runDBQuery(q dbQuery) ([]byte, error) {
	db, err := openDB(q.Path, q.NoWAL)
	if err != nil {
		return nil, err
	}
	t := db.Table(q.Table)
	if t == nil {
		return nil, errors.New("no such table")
	}
	dbMu.Lock()
	defer dbMu.Unlock()
	tc := cache
	key := tableKey{dbKey: dbKey{path: q.Path, noWAL: q.NoWAL}, table: q.Table}
	if tc == nil || tc.key != key {
		tc = loadTable(db, t, key)
		cache = tc
	}
	res, err := tc.query(db, t, q)
	if err != nil {
		return nil, err
	}
	return json.Marshal(res)
}

// Limits of the table cache: beyond them a table is paged by iterating
// from its start, without sorting or filtering.
const (
	cacheMaxRows  = 2_000_000
	cacheMaxBytes = 256 << 20
)

type dbKey struct {
	path  string
	noWAL bool
}

type tableKey struct {
	dbKey
	table string
}

type dbQuery struct {
	Path   string `json:"path"`
	Table  string `json:"table"`
	NoWAL  bool   `json:"noWal"`
	Offset int    `json:"offset"`
	Limit  int    `json:"limit"`
	Sort   int    `json:"sort"` // column index; -1 table order; -2 rowid
	Desc   bool   `json:"desc"`
	Filter string `json:"filter"`
}

type rowJSON struct {
	RowID  *int64         `json:"rowid"`
	Values []sqlite.Value `json:"values"`
}

type queryResult struct {
	Total    int       `json:"total"`    // rows in the table
	Count    int       `json:"count"`    // rows matching the filter
	Complete bool      `json:"complete"` // the table was fully cached: sort and filter apply
	Offset   int       `json:"offset"`
	Rows     []rowJSON `json:"rows"`
	Problems []string  `json:"problems"`
}

// tableCache holds every row of the table being browsed, and the order of
// the last query, so that scrolling asks only for a page.
type tableCache struct {
	key      tableKey
	rows     []sqlite.Row
	complete bool
	err      error
	text     []string // lower-cased search text per row, built on first filter
	orderKey string
	order    []int32
}

var (
	dbMu       sync.Mutex
	dbOpen     map[dbKey]*sqlite.DB
	dbOpenSess *inspect.Session
	cache      *tableCache
)

func loadTable(db *sqlite.DB, t *sqlite.Table, key tableKey) *tableCache {
	tc := &tableCache{key: key, complete: true}
	var bytes int64
	rows := db.Rows(t)
	for rows.Next() {
		r := rows.Row()
		for _, v := range r.Values {
			bytes += int64(len(v.Bytes)) + 32
		}
		if len(tc.rows) >= cacheMaxRows || bytes > cacheMaxBytes {
			tc.complete, tc.rows = false, nil
			break
		}
		tc.rows = append(tc.rows, r)
	}
	tc.err = rows.Err()
	return tc
}

func (tc *tableCache) query(db *sqlite.DB, t *sqlite.Table, q dbQuery) (*queryResult, error) {
	if q.Limit <= 0 || q.Limit > 5000 {
		q.Limit = 200
	}
	if q.Offset < 0 {
		q.Offset = 0
	}
	res := &queryResult{Rows: []rowJSON{}, Offset: q.Offset, Complete: tc.complete, Problems: []string{}}
	for _, p := range db.Problems() {
		res.Problems = append(res.Problems, p.Error())
	}
	if tc.err != nil {
		res.Problems = append(res.Problems, tc.err.Error())
	}
	if !tc.complete {
		// Too big to hold: page by walking the table.
		rows := db.Rows(t)
		for rows.Next() {
			if res.Total >= q.Offset && res.Total < q.Offset+q.Limit {
				res.Rows = append(res.Rows, toRowJSON(rows.Row()))
			}
			res.Total++
		}
		res.Count = res.Total
		return res, rows.Err()
	}
	order := tc.orderFor(q)
	res.Total, res.Count = len(tc.rows), len(order)
	for i := q.Offset; i < len(order) && i < q.Offset+q.Limit; i++ {
		res.Rows = append(res.Rows, toRowJSON(tc.rows[order[i]]))
	}
	return res, nil
}

func toRowJSON(r sqlite.Row) rowJSON {
	rj := rowJSON{Values: r.Values}
	if rj.Values == nil {
		rj.Values = []sqlite.Value{}
	}
	if r.HasRowID {
		id := r.RowID
		rj.RowID = &id
	}
	return rj
}

func (tc *tableCache) orderFor(q dbQuery) []int32 {
	filter := strings.ToLower(strings.TrimSpace(q.Filter))
	okey := strings.Join([]string{filter, itoa(q.Sort), boolStr(q.Desc)}, "\x00")
	if tc.order != nil && tc.orderKey == okey {
		return tc.order
	}
	order := make([]int32, 0, len(tc.rows))
	if filter != "" && tc.text == nil {
		tc.text = make([]string, len(tc.rows))
		var sb strings.Builder
		for i, r := range tc.rows {
			sb.Reset()
			if r.HasRowID {
				sb.WriteString(itoa64(r.RowID))
				sb.WriteByte('\x00')
			}
			for _, v := range r.Values {
				sb.WriteString(v.String())
				sb.WriteByte('\x00')
			}
			tc.text[i] = strings.ToLower(sb.String())
		}
	}
	for i := range tc.rows {
		if filter == "" || strings.Contains(tc.text[i], filter) {
			order = append(order, int32(i))
		}
	}
	if q.Sort >= 0 || q.Sort == -2 {
		col := q.Sort
		less := func(a, b int32) int {
			ra, rb := tc.rows[a], tc.rows[b]
			var c int
			if col == -2 {
				c = cmpInt(ra.RowID, rb.RowID)
			} else {
				c = compareValues(valueAt(ra, col), valueAt(rb, col))
			}
			if c == 0 {
				c = cmpInt(int64(a), int64(b)) // stable: table order
				return c
			}
			if q.Desc {
				c = -c
			}
			return c
		}
		slices.SortFunc(order, less)
	} else if q.Desc {
		slices.Reverse(order)
	}
	tc.orderKey, tc.order = okey, order
	return order
}

func valueAt(r sqlite.Row, i int) sqlite.Value {
	if i < len(r.Values) {
		return r.Values[i]
	}
	return sqlite.Value{}
}

// compareValues orders values as SQLite's ORDER BY does with the BINARY
// collation: NULL, then numbers, then text, then blobs.
func compareValues(a, b sqlite.Value) int {
	ra, rb := kindRank(a.Kind), kindRank(b.Kind)
	if ra != rb {
		return cmpInt(int64(ra), int64(rb))
	}
	switch a.Kind {
	case sqlite.Null:
		return 0
	case sqlite.Integer, sqlite.Real:
		if a.Kind == sqlite.Integer && b.Kind == sqlite.Integer {
			return cmpInt(a.Int, b.Int)
		}
		fa, fb := asFloat(a), asFloat(b)
		switch {
		case fa < fb:
			return -1
		case fa > fb:
			return 1
		}
		return 0
	}
	return strings.Compare(string(a.Bytes), string(b.Bytes))
}

func kindRank(k sqlite.Kind) int {
	switch k {
	case sqlite.Null:
		return 0
	case sqlite.Integer, sqlite.Real:
		return 1
	case sqlite.Text:
		return 2
	}
	return 3
}

func asFloat(v sqlite.Value) float64 {
	if v.Kind == sqlite.Integer {
		return float64(v.Int)
	}
	return v.Float
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func itoa(i int) string     { return strconv.Itoa(i) }
func itoa64(i int64) string { return strconv.FormatInt(i, 10) }
func boolStr(b bool) string { return strconv.FormatBool(b) }
