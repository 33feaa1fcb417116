// Entry point of the web app: registers the root component.
import './ui/vm-app.ts';
