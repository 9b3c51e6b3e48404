"""Tests of the present floor: each renderer against the figures of the result it shows."""
