"""What a person gives: regimen files and command-line text, and the saved profile."""
