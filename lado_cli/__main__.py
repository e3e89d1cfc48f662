from lado_cli.cli.app import main

main()
