export const PROVIDER_SORT_FIELDS = ['name', 'display_name', 'type', 'created_at', 'updated_at', 'status', 'health'] as const;
