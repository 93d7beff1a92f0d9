import sys

from leaflet.cli import main

sys.exit(main())
