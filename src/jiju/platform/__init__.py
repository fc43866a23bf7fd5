"""What every app stands on and no app writes again: permissions and scope, records made for a scope,
scheme runs and their publish rule. Below the registry and every domain app; above the pure core."""
