"""Laundering patterns detected on the stream of reported transfers."""
