import os, sys
os.environ.setdefault("APP_MODE", "prod")
os.execvp(sys.argv[1], sys.argv[1:])
