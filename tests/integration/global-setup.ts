// Replaced by the per-run database setup once the migration runner exists.
export default function setup(): void {}
