// Package recover finds deleted and superseded rows in SQLite databases read
// with package sqlite: the forensic recovery engine of Backup Inspector.
//
// Recover searches, for every rowid table of the schema:
//
//   - freeblocks of b-tree pages: a freed cell whose first 4 bytes (payload
//     size, rowid, header size, first serial type) were overwritten by the
//     freeblock header is rebuilt from the surviving serial types and the
//     table's record shape;
//   - unallocated space between the cell pointer array and the cell content
//     area, fragments, and cells no page references any more;
//   - freelist trunk and leaf pages (whole pages of old cells), including
//     pages of dropped tables, whose CREATE statements are recovered from
//     deleted sqlite_schema rows;
//   - every WAL frame, committed, uncommitted or left over from an earlier
//     WAL generation: each is a version of its page, so a row's history and
//     rows that existed only in older frames are found;
//   - the page images of a rollback journal (also a zeroed PERSIST one);
//   - overflow chains of recovered cells, as far as their pages still hold
//     the payload.
//
// Every candidate is matched to the table whose record signature fits best
// (field count, serial types against declared affinities, the rowid alias
// stored as NULL, NOT NULL, STRICT types, text validity) and gets a
// confidence. Values that cannot be read are marked missing, never guessed.
// A record equal to a live row of its table is never reported; an older
// version of a live row is marked Superseded.
//
// Recover works on page images only and never panics on corrupt input; the
// work per page is bounded.
package recover
