"""Telnet for MUD clients: line mode with prompts, GMCP, MSDP, MSSP, MCCP2 (docs/telnet.md)."""
