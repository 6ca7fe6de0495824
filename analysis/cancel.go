package analysis

import "context"

// checkEvery is the number of iterations of a long loop between two looks
// at its context: looking costs an atomic load, and a few hundred
// instructions, stages or lines take well under a millisecond.
const checkEvery = 256

// Cancelled returns ctx's error at every checkEvery-th iteration i of a
// long loop, and nil at the others, so that a cancelled request stops
// early without paying for a look at each step.
func Cancelled(ctx context.Context, i int) error {
	if i%checkEvery != 0 {
		return nil
	}
	return ctx.Err()
}
