/**
 * The sorts the list API accepts. Each has an index in the store (migration 0004), which test/core/store-queries.test.ts
 * checks with EXPLAIN QUERY PLAN: a sort added here needs one too.
 */
export const PROVIDER_SORT_FIELDS = ['name', 'display_name', 'type', 'created_at', 'updated_at', 'status', 'health'] as const;
