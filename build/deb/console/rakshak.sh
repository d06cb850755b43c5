#!/bin/sh
# rakshak: the Rakshak console (the frozen bundle in /opt/rakshak). `rakshak selfcheck` checks the installation.
exec /opt/rakshak/rakshak "$@"
