#!/bin/sh
set -e
echo "motd says: $(cat /tmp/ami-it-happy/motd)"
rm -rf /tmp/ami-it-happy
