"""The coaching loop: self-assessment over the framework's rows, a chosen focus, and progress."""
