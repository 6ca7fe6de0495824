package rules

import (
	"hash/maphash"
	"reflect"
	"testing"

	"github.com/moby/patternmatcher"
)

// configHash is writeConfig's hash of cfg under seed.
func configHash(seed maphash.Seed, cfg *Config) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	writeConfig(&h, cfg)
	return h.Sum64()
}

// TestWriteConfigCoversConfig gives each setting of Config two values in
// turn, down to each field of the structs its lists hold, and wants two
// hashes: a setting writeConfig does not hash would keep stale findings
// in the cache. A field of a kind the test cannot set fails it, so that
// a new field is looked at.
func TestWriteConfigCoversConfig(t *testing.T) {
	seed := maphash.MakeSeed()
	base := configHash(seed, &Config{})
	if again := configHash(seed, &Config{}); again != base {
		t.Fatalf("two hashes of the zero config differ: %x, %x", base, again)
	}
	ct := reflect.TypeFor[Config]()
	for i := range ct.NumField() {
		f := ct.Field(i)
		switch f.Name {
		case "Cache", "Context":
			continue // not read by PerStage rules (writeConfig's comment)
		case "Ignore":
			m, err := patternmatcher.New([]string{"node_modules"})
			if err != nil {
				t.Fatal(err)
			}
			if configHash(seed, &Config{Ignore: m}) == base {
				t.Errorf("a .dockerignore does not change the hash")
			}
			continue
		}
		// Each leaf given two values, all else alike.
		for _, set := range setters(t, f.Name, f.Type) {
			var one, two Config
			set.fn(reflect.ValueOf(&one).Elem().Field(i), 1)
			set.fn(reflect.ValueOf(&two).Elem().Field(i), 2)
			if configHash(seed, &one) == configHash(seed, &two) {
				t.Errorf("two values of %s hash alike", set.path)
			}
		}
	}
	// Equal settings hash equal, whatever the order the map was built in.
	a := &Config{Severity: map[string]Severity{}}
	b := &Config{Severity: map[string]Severity{}}
	names := []string{"UnusedStage", "StageNameCasing", "JSONArgsRecommended", "FromAsCasing"}
	for i, n := range names {
		a.Severity[n] = Severity(i)
		b.Severity[names[len(names)-1-i]] = Severity(len(names) - 1 - i)
	}
	if configHash(seed, a) != configHash(seed, b) {
		t.Errorf("equal severity maps hash differently")
	}
	b.Severity["UnusedStage"] = Off + 3
	if configHash(seed, a) == configHash(seed, b) {
		t.Errorf("a changed severity does not change the hash")
	}
	// Two strings in a row do not read as two others.
	if configHash(seed, &Config{Targets: []string{"ab", "c"}}) == configHash(seed, &Config{Targets: []string{"a", "bc"}}) {
		t.Errorf("targets [ab c] and [a bc] hash alike")
	}
}

type setter struct {
	path string
	fn   func(v reflect.Value, k int)
}

// setters returns one setter for each leaf of a value of type typ: in a
// zero value, it gives the leaf its k-th value (k is 1 or 2), building
// what holds it alike for both.
func setters(t *testing.T, path string, typ reflect.Type) []setter {
	switch typ.Kind() {
	case reflect.String:
		return []setter{{path, func(v reflect.Value, k int) { v.SetString(string(rune('a' + k))) }}}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return []setter{{path, func(v reflect.Value, k int) { v.SetInt(int64(k)) }}}
	case reflect.Bool:
		return []setter{{path, func(v reflect.Value, k int) { v.SetBool(k == 2) }}}
	case reflect.Struct:
		var out []setter
		for i := range typ.NumField() {
			f := typ.Field(i)
			for _, s := range setters(t, path+"."+f.Name, f.Type) {
				out = append(out, setter{s.path, func(v reflect.Value, k int) { s.fn(v.Field(i), k) }})
			}
		}
		return out
	case reflect.Slice:
		// A list of k zero elements, then one element with each leaf set.
		out := []setter{{path + "[k]", func(v reflect.Value, k int) { v.Set(reflect.MakeSlice(typ, k, k)) }}}
		for _, s := range setters(t, path+"[0]", typ.Elem()) {
			out = append(out, setter{s.path, func(v reflect.Value, k int) {
				sl := reflect.MakeSlice(typ, 1, 1)
				s.fn(sl.Index(0), k)
				v.Set(sl)
			}})
		}
		return out
	case reflect.Map:
		key, elem := typ.Key(), typ.Elem()
		var out []setter
		for _, s := range setters(t, path+"[key]", elem) {
			out = append(out, setter{s.path, func(v reflect.Value, k int) {
				m := reflect.MakeMap(typ)
				kv, e := reflect.New(key).Elem(), reflect.New(elem).Elem()
				s.fn(e, k)
				m.SetMapIndex(kv, e)
				v.Set(m)
			}})
		}
		for _, s := range setters(t, path+"{key}", key) {
			out = append(out, setter{s.path, func(v reflect.Value, k int) {
				m := reflect.MakeMap(typ)
				kv, e := reflect.New(key).Elem(), reflect.New(elem).Elem()
				s.fn(kv, k)
				m.SetMapIndex(kv, e)
				v.Set(m)
			}})
		}
		return out
	}
	t.Fatalf("%s: the test does not know how to set a %v: teach it, and writeConfig", path, typ)
	return nil
}
