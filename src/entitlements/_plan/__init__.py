"""The engagement plan and the obligations check."""
