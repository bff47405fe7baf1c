"""What every area shares: background tasks, discreet mode, lock, dialogs, table-model base."""
