#!/usr/bin/env python3
import subprocess, sys
subprocess.run(sys.argv[1:], check=True)
