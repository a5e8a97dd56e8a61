"""Who may do what: accounts, roles, passwords and the login sessions that survive a reload."""
