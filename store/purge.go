package store

import (
	"context"
	"fmt"
)

// PurgeInstallation deletes everything kept for an installation, when the
// App is uninstalled. It returns how many keys it deleted.
func (s *Store) PurgeInstallation(ctx context.Context, inst int64) (int, error) {
	return s.purge(ctx, []string{instPattern(inst)})
}

// PurgeRepository deletes what is kept for one repository of an
// installation, when it is removed from the installation.
func (s *Store) PurgeRepository(ctx context.Context, inst, repoID int64) (int, error) {
	return s.purge(ctx, repoPatterns(inst, repoID))
}

func (s *Store) purge(ctx context.Context, patterns []string) (int, error) {
	n := 0
	for _, p := range patterns {
		iter := s.rdb.Scan(ctx, 0, p, 500).Iterator()
		var batch []string
		flush := func() error {
			if len(batch) == 0 {
				return nil
			}
			if err := s.rdb.Unlink(ctx, batch...).Err(); err != nil {
				return fmt.Errorf("delete %d keys matching %s: %w", len(batch), p, err)
			}
			n += len(batch)
			batch = batch[:0]
			return nil
		}
		for iter.Next(ctx) {
			batch = append(batch, iter.Val())
			if len(batch) == 500 {
				if err := flush(); err != nil {
					return n, err
				}
			}
		}
		if err := iter.Err(); err != nil {
			return n, fmt.Errorf("scan keys matching %s: %w", p, err)
		}
		if err := flush(); err != nil {
			return n, err
		}
	}
	return n, nil
}
