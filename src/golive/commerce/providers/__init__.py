"""Payment providers behind one interface: `local` (the built-in test provider) and `stripe`."""
